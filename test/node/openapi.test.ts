import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeTarget } from "./app-target";

const target = createNodeTarget();
afterAll(() => target.database.close());

interface Operation {
  operationId?: string;
  responses: Record<string, { content?: Record<string, unknown> }>;
}

describe("OpenAPI document", () => {
  it("is valid OpenAPI 3.1 according to swagger-parser", async () => {
    const document = (await (await target.fetch("/openapi.json")).json()) as Parameters<typeof SwaggerParser.validate>[0];
    // validate() dereferences in place; give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as typeof document)).resolves.toBeTruthy();
  });

  it("documents the problem responses each product operation can give", async () => {
    const document = (await (await target.fetch("/openapi.json")).json()) as { paths: Record<string, Record<string, Operation>> };
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    const byId = new Map(operations.map((operation) => [operation.operationId, operation]));
    const expected: Record<string, string[]> = {
      listProducts: ["200", "400", "422", "500", "503"],
      getProduct: ["200", "304", "404", "422", "500", "503"],
      createProduct: ["201", "400", "409", "413", "415", "422", "500", "503"],
      replaceProduct: ["200", "404", "409", "412", "413", "415", "422"],
      patchProduct: ["200", "404", "409", "412", "413", "415", "422"],
      deleteProduct: ["204", "404", "412", "422"],
    };
    for (const [operationId, statuses] of Object.entries(expected)) {
      const responses = byId.get(operationId)?.responses ?? {};
      for (const status of statuses) expect(Object.keys(responses), `${operationId} ${status}`).toContain(status);
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400) expect(Object.keys(response.content ?? {})).toEqual(["application/problem+json"]);
      }
    }
  });
});
