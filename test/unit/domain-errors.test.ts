import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/core/context";
import {
  DomainError,
  InvalidCursor,
  NotFound,
  StateConflict,
  StillReferenced,
  Taken,
  UnknownReference,
  VersionMismatch,
} from "../../src/core/domain-errors";
import { errorHandler } from "../../src/core/error-handler";
import { databaseRefusal } from "../../src/db/errors";

/** The problem+json a thrown value becomes, through the app's own error handler. */
async function problemOf(error: unknown) {
  const app = new Hono<AppEnv>()
    .get("/api/v1/users", () => {
      throw error;
    })
    .onError(errorHandler(databaseRefusal));
  const response = await app.request("/api/v1/users");
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("domain errors become problems in one place (errorHandler)", () => {
  const cases: { name: string; error: DomainError; status: number; body: Record<string, unknown> }[] = [
    {
      name: "NotFound: 404 not_found, its message as the detail",
      error: new NotFound("User"),
      status: 404,
      body: { code: "not_found", title: "Not found", detail: "User was not found.", type: "/problems/not_found" },
    },
    {
      name: "VersionMismatch: 412 precondition_failed, with the stored version when it was read",
      error: new VersionMismatch(3),
      status: 412,
      body: { code: "precondition_failed", detail: "If-Match does not match the current version (3); nothing was changed." },
    },
    {
      name: "VersionMismatch of a pin that could never match: no version to name",
      error: new VersionMismatch(),
      status: 412,
      body: { code: "precondition_failed", detail: "If-Match does not match the current version; nothing was changed." },
    },
    {
      name: "Taken: 409 conflict naming the field in errors[]",
      error: new Taken("product", "sku"),
      status: 409,
      body: {
        code: "conflict",
        detail: "A product with this sku already exists.",
        errors: [{ path: "sku", code: "taken", message: "sku is already in use." }],
      },
    },
    {
      name: "Taken with the field spelled for people: the users API's answer, word for word",
      error: new Taken("user", "email", "e-mail"),
      status: 409,
      body: {
        code: "conflict",
        detail: "A user with this e-mail already exists.",
        errors: [{ path: "email", code: "taken", message: "email is already in use." }],
      },
    },
    {
      name: "UnknownReference: 422 validation_failed, the field not_found in errors[]",
      error: new UnknownReference("warehouseId"),
      status: 422,
      body: {
        code: "validation_failed",
        detail: "warehouseId names nothing that exists.",
        errors: [{ path: "warehouseId", code: "not_found", message: "warehouseId does not exist." }],
      },
    },
    {
      name: "StillReferenced: 409 conflict, its message as the detail",
      error: new StillReferenced("warehouse"),
      status: 409,
      body: { code: "conflict", detail: "Other resources still refer to this warehouse; delete or change them first." },
    },
    {
      name: "StateConflict: 409 conflict, its message as the detail",
      error: new StateConflict("This is the last admin: make another admin first."),
      status: 409,
      body: { code: "conflict", detail: "This is the last admin: make another admin first." },
    },
    {
      name: "InvalidCursor: 422 validation_failed on the query string, the reason on `cursor`",
      error: new InvalidCursor("was made for other filters"),
      status: 422,
      body: {
        code: "validation_failed",
        detail: "The query string is not valid.",
        errors: [{ path: "cursor", code: "invalid_cursor", message: "cursor was made for other filters." }],
      },
    },
  ];

  for (const { name, error, status, body } of cases) {
    it(name, async () => {
      const problem = await problemOf(error);
      expect(problem.status).toBe(status);
      // Exactly these fields besides the ones every problem has: errors[] only where the case names them.
      expect(problem.body).toEqual({
        type: `/problems/${body.code}`,
        title: expect.any(String),
        status,
        instance: "/api/v1/users",
        ...body,
      });
    });
  }

  it("a domain error nobody mapped is a 500 that shows nothing of it, not a guessed status", async () => {
    class Unmapped extends DomainError {}
    const { status, body } = await problemOf(new Unmapped("secret internals"));
    expect(status).toBe(500);
    expect(body.code).toBe("internal_error");
    expect(JSON.stringify(body)).not.toContain("secret");
  });
});
