import { describe, expect, it } from "vitest";
import type { ContractTarget } from "./target";

interface ProblemType {
  type: string;
  code: string;
  title: string;
  status: number;
  description: string;
}

export function problemTypesContract(target: ContractTarget) {
  const anonymous = target.as("anonymous");
  /** Follows a problem's `type` as a client would: relative to the service, or absolute under PUBLIC_URL. */
  const follow = (type: string) => anonymous(new URL(type, "http://service.test").pathname);

  // Problems of the shared machinery (users, ping, the router): every service has them.
  describe(`problem types: where a problem's type leads (${target.runtime})`, () => {
    it("the type of a problem resolves, without a token, to what that problem means", async () => {
      const problems = await Promise.all([
        anonymous("/api/v1/ping"),
        target.fetch("/api/v1/users?cursor=forged"),
        target.fetch("/api/v1/users", { method: "DELETE" }),
        target.fetch("/api/v1/users/01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f"),
      ]);
      expect(problems.map((response) => response.status)).toEqual([401, 422, 405, 404]);
      for (const response of problems) {
        const problem = (await response.json()) as { type: string; code: string; title: string; status: number };
        const described = await follow(problem.type);
        expect(described.status, problem.type).toBe(200);
        expect(described.headers.get("content-type")).toMatch(/^application\/json/);
        expect(described.headers.get("cache-control")).toBe("public, max-age=86400");
        expect(await described.json()).toEqual({
          type: problem.type,
          code: problem.code,
          title: problem.title,
          status: problem.status,
          description: expect.stringMatching(/\w.*\./),
        });
      }
    });

    it("/problems lists every problem type once, each resolving to itself", async () => {
      const response = await anonymous("/problems");
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("public, max-age=86400");
      const { data } = (await response.json()) as { data: ProblemType[] };
      const codes = data.map((entry) => entry.code);
      expect(codes).toEqual(expect.arrayContaining(["not_found", "validation_failed", "conflict", "unauthorized", "internal_error"]));
      expect(new Set(codes).size).toBe(codes.length);
      const statuses = data.map((entry) => entry.status);
      expect(statuses, "in the order of their status").toEqual([...statuses].sort((a, b) => a - b));
      const conflict = data.find((entry) => entry.code === "conflict");
      expect(conflict).toMatchObject({ status: 409, title: "Conflict" });
      expect(await (await follow(conflict?.type ?? "")).json()).toEqual(conflict);
    });

    it("an unknown problem type is a 404 problem", async () => {
      const response = await anonymous("/problems/no_such_code");
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({
        code: "not_found",
        detail: "No problem type no_such_code.",
        instance: "/problems/no_such_code",
      });
      // Inherited names of a plain object are no codes either.
      expect((await anonymous("/problems/constructor")).status).toBe(404);
    });
  });
}
