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

  it("gives every error response of every operation as application/problem+json", async () => {
    const document = (await (await target.fetch("/openapi.json")).json()) as { paths: Record<string, Record<string, Operation>> };
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThanOrEqual(10);
    for (const operation of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400)
          expect(Object.keys(response.content ?? {}), `${operation.operationId} ${status}`).toEqual(["application/problem+json"]);
      }
    }
  });
});
