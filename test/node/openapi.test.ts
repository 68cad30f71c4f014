import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, describe, expect, it } from "vitest";
import { type CheckedDocument, createResponseChecker } from "../contract/openapi-check";
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

type Document = CheckedDocument & { tags?: { name: string; description?: string }[] };
type Schema = { type?: string; minimum?: number; maximum?: number; example?: unknown; pattern?: string; format?: string };
interface Parameter {
  name: string;
  in: string;
  schema: Schema;
}

const servedDocument = async () => (await (await target.fetch("/openapi.json")).json()) as Document;
const operationsOf = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );

describe("OpenAPI document as strict as the service", () => {
  it("states the bounds of the list query and the id pattern the service enforces", async () => {
    const document = await servedDocument();
    const list = document.paths["/api/v1/users"]?.get as unknown as { parameters: Parameter[] };
    const limit = list.parameters.find((parameter) => parameter.name === "limit")?.schema;
    expect(limit).toMatchObject({ type: "integer", minimum: 1, maximum: 100, example: 20 });
    const byId = document.paths["/api/v1/users/{id}"]?.get as unknown as { parameters: Parameter[] };
    const id = byId.parameters.find((parameter) => parameter.name === "id")?.schema;
    expect(new RegExp(id?.pattern ?? "").test("01937c5e-8a4b-0c3d-9e2f-0a1b2c3d4e5f"), "version 0 is refused").toBe(false);
    expect(new RegExp(id?.pattern ?? "").test("01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f")).toBe(true);
  });

  it("documents the e-mail rule of CreateUser as the service applies it", async () => {
    const createUser = (await servedDocument()).components?.schemas?.CreateUser as { properties: Record<string, Schema> } | undefined;
    const email = createUser?.properties.email;
    expect(email).toMatchObject({ format: "idn-email" });
    const pattern = new RegExp(email?.pattern ?? "", "u");
    expect(pattern.test("ä@exämple.de")).toBe(true);
    expect(pattern.test('"quoted"@example.com'), "zod refuses quoted local parts").toBe(false);
  });

  it("documents the refusals every operation can meet: 400, 405 with Allow, 431; and 408 and 413 wherever a body is received", async () => {
    for (const { path, method, operation } of operationsOf(await servedDocument())) {
      const statuses = Object.keys(operation.responses);
      expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(["400", "405", "431"]));
      expect(operation.responses["405"]?.headers?.Allow?.required, `${method} ${path} 405 Allow`).toBe(true);
      if (method !== "get") expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(["408", "413"]));
    }
  });

  it("says Cache-Control and X-Request-Id on every /api/v1 answer", async () => {
    for (const { path, method, operation } of operationsOf(await servedDocument())) {
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(response.headers?.["X-Request-Id"]?.required, `${method} ${path} ${status}`).toBe(true);
        if (path.startsWith("/api/v1/")) expect(response.headers?.["Cache-Control"]?.required, `${method} ${path} ${status}`).toBe(true);
      }
    }
  });

  it("declares every tag an operation uses, with a description", async () => {
    const document = await servedDocument();
    const declared = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description]));
    for (const { operation } of operationsOf(document))
      for (const tag of (operation as { tags?: string[] }).tags ?? []) expect(declared.get(tag), tag).toBeTruthy();
    expect([...declared.keys()]).toEqual(expect.arrayContaining(["Users", "Authentication", "Operations"]));
  });
});

describe("the response check of the contract suites", () => {
  const problem = (status: number, code: string) =>
    JSON.stringify({ type: `/problems/${code}`, title: "t", status, detail: "d", instance: "/x", code, requestId: "r" });
  const headers = (extra: Record<string, string> = {}) => ({
    "content-type": "application/json",
    "x-request-id": "r",
    "cache-control": "private, no-cache",
    ...extra,
  });
  const user = { id: "u", email: "a@b.example", role: "viewer", createdAt: null, updatedAt: null };
  const me = { method: "GET", url: "http://service.test/api/v1/users/me" };

  const outcome = async (request: { method: string; url: string }, response: Response) => {
    const checker = createResponseChecker(await servedDocument());
    return checker.check(request, response).then(
      () => "accepted",
      (error: unknown) => String(error),
    );
  };

  it("accepts an answer the document allows, and a problem for a path it does not have", async () => {
    expect(await outcome(me, new Response(JSON.stringify(user), { status: 200, headers: headers() }))).toBe("accepted");
    const unknown = new Response(problem(404, "not_found"), { status: 404, headers: { "content-type": "application/problem+json" } });
    expect(await outcome({ method: "GET", url: "http://service.test/nowhere" }, unknown)).toBe("accepted");
  });

  it("refuses an undocumented status, another content type, a missing required header, a body off its schema", async () => {
    expect(await outcome(me, new Response(JSON.stringify(user), { status: 418, headers: headers() }))).toMatch(/418 is not documented/);
    expect(
      await outcome(me, new Response(JSON.stringify(user), { status: 200, headers: headers({ "content-type": "text/plain" }) })),
    ).toMatch(/content type text\/plain/);
    const withoutCaching = new Response(JSON.stringify(user), {
      status: 200,
      headers: { "content-type": "application/json", "x-request-id": "r" },
    });
    expect(await outcome(me, withoutCaching)).toMatch(/required header Cache-Control is missing/);
    expect(await outcome(me, new Response(JSON.stringify({ ...user, role: "owner" }), { status: 200, headers: headers() }))).toMatch(
      /does not match its schema.*role/,
    );
    const notAProblem = new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } });
    expect(await outcome({ method: "GET", url: "http://service.test/nowhere" }, notAProblem)).toMatch(/content type text\/plain/);
  });
});
