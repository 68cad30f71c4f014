// Unit test of error classification: constructed errors, no database.
import { NeonDbError } from "@neondatabase/serverless";
import { describe, expect, it } from "vitest";
import { databaseErrorCode, isDatabaseUnavailable, isForeignKeyViolation, isUniqueViolation } from "../../src/db/errors";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("database error classification", () => {
  it("finds the SQLSTATE through Drizzle's wrapping cause chain", () => {
    const wrapped = new Error("Failed query: insert …", { cause: withCode("duplicate key", "23505") });
    expect(databaseErrorCode(wrapped)).toBe("23505");
    expect(isUniqueViolation(wrapped)).toBe(true);
    expect(isUniqueViolation(new Error("other"))).toBe(false);
    expect(isForeignKeyViolation(new Error("Failed query", { cause: withCode("violates foreign key", "23503") }))).toBe(true);
    expect(isForeignKeyViolation(wrapped)).toBe(false);
  });

  it.each([
    ["refused", withCode("connect ECONNREFUSED 127.0.0.1:1", "ECONNREFUSED")],
    ["admin shutdown", withCode("terminating connection due to administrator command", "57P01")],
    ["connection exception class", withCode("connection failure", "08006")],
    ["terminated", new Error("Failed query", { cause: new Error("Connection terminated unexpectedly") })],
    ["timeout", new Error("timeout exceeded when trying to connect")],
    ["statement timeout", withCode("canceling statement due to statement timeout", "57014")],
  ])("treats %s as unavailable", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["the endpoint cannot be reached", "Error connecting to database: TypeError: fetch failed"],
    ["the request budget aborted the fetch", "Error connecting to database: AbortError: The operation was aborted"],
    ["the endpoint cannot reach Postgres", "Server error (HTTP status 502): connection to compute failed"],
    ["the endpoint is unavailable", "Server error (HTTP status 503): "],
  ])("treats the Neon HTTP driver's error when %s as unavailable", (_, message) => {
    expect(isDatabaseUnavailable(new Error("Failed query: select 1", { cause: new NeonDbError(message) }))).toBe(true);
  });

  it("keeps a Postgres error over HTTP apart: its SQLSTATE, not unavailability", () => {
    const unique = Object.assign(new NeonDbError("duplicate key value violates unique constraint"), { code: "23505" });
    expect(isUniqueViolation(new Error("Failed query", { cause: unique }))).toBe(true);
    expect(isDatabaseUnavailable(unique)).toBe(false);
    // Too large an answer is a fault of the query, not an outage.
    expect(isDatabaseUnavailable(new NeonDbError("Server error (HTTP status 507): response is too large (max is 10485760 bytes)"))).toBe(
      false,
    );
  });

  it("does not treat programming errors as unavailable", () => {
    expect(isDatabaseUnavailable(withCode("syntax error", "42601"))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("x is undefined"))).toBe(false);
    expect(isDatabaseUnavailable("string")).toBe(false);
  });
});
