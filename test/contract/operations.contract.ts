import { describe, expect, it } from "vitest";
import type { ContractTarget } from "./target";

export function operationsContract(target: ContractTarget) {
  describe(`operational endpoints (${target.runtime})`, () => {
    it("/health answers ok", async () => {
      const response = await target.fetch("/health");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: "ok" });
    });

    it("/ready checks the database and the migrations, and names the build", async () => {
      const response = await target.fetch("/ready");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: "ok",
        checks: { database: "ok", migrations: "ok" },
        version: expect.any(String),
        commit: expect.any(String),
      });
    });

    it("/api/v1/ping answers ok to any role and 401 without a token", async () => {
      const response = await target.as("viewer")("/api/v1/ping");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: "ok" });
      expect((await target.as("anonymous")("/api/v1/ping")).status).toBe(401);
    });

    it("/openapi.json is an OpenAPI 3.1 document with the operations every service has, each named once", async () => {
      const response = await target.fetch("/openapi.json");
      expect(response.status).toBe(200);
      const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
      expect(document.openapi).toBe("3.1.0");
      const operations = Object.values(document.paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId));
      // Each resource's contract checks its own operations: this list holds with or without them.
      expect(operations).toEqual(
        expect.arrayContaining([
          ...["createUser", "deleteUser", "getCurrentUser", "getUser", "listUsers", "patchUser"],
          ...["health", "issueToken", "ping", "ready"],
        ]),
      );
      expect(new Set(operations).size).toBe(operations.length);
    });
  });
}
