import { describe, expect, it } from "vitest";
import { type ContractTarget, countUsers, json, uniqueTag, userInput } from "./target";

export function errorsContract(target: ContractTarget) {
  const expectProblem = async (response: Response, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String) });
    // Under the configured https PUBLIC_URL, or relative without one: never the origin the request named.
    expect(body.type).toMatch(new RegExp(`^(https://[^/?#]+(/[^?#]*)?)?/problems/${code}$`));
    expect(body.requestId).toBe(response.headers.get("x-request-id"));
    return body;
  };

  // The users collection stands for every resource here: each service keeps it (see userInput).
  describe(`errors and every response (${target.runtime})`, () => {
    it("404 problem for an unknown route with the request path as instance", async () => {
      const body = await expectProblem(await target.fetch("/nope/here"), 404, "not_found");
      expect(body.instance).toBe("/nope/here");
    });

    it("does not build the problem type from the request's Host", async () => {
      const response = await target.fetch("http://evil.example/nope/here", { headers: { host: "evil.example" } });
      const body = await expectProblem(response, 404, "not_found");
      expect(body.type).not.toContain("evil.example");
    });

    it("405 with Allow for a known path and a wrong method", async () => {
      const response = await target.fetch("/api/v1/users", { method: "DELETE" });
      await expectProblem(response, 405, "method_not_allowed");
      expect(response.headers.get("allow")?.split(", ").sort()).toEqual(["GET", "HEAD", "OPTIONS", "POST"]);
      const item = await target.fetch("/api/v1/users/01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f", { method: "POST" });
      await expectProblem(item, 405, "method_not_allowed");
      expect(item.headers.get("allow")).toContain("PATCH");
    });

    it("404, not a 405 naming the very method, for a known path with a trailing slash (the router has no such route)", async () => {
      const response = await target.fetch("/api/v1/users/");
      await expectProblem(response, 404, "not_found");
      expect(response.headers.get("allow")).toBeNull();
    });

    it("OPTIONS on a known path lists the methods", async () => {
      const response = await target.fetch("/api/v1/users", { method: "OPTIONS" });
      expect(response.status).toBe(204);
      expect(response.headers.get("allow")).toContain("POST");
    });

    it("400 for malformed JSON, and nothing is written", async () => {
      const tag = uniqueTag();
      const response = await target.fetch("/api/v1/users", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(userInput(tag)).slice(0, -1),
      });
      await expectProblem(response, 400, "bad_request");
      expect(await countUsers(target, tag)).toBe(0);
    });

    it("415 for a body that is not JSON", async () => {
      const tag = uniqueTag();
      await expectProblem(
        await target.fetch("/api/v1/users", {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: JSON.stringify(userInput(tag)),
        }),
        415,
        "unsupported_media_type",
      );
      await expectProblem(
        await target.fetch("/api/v1/users", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "email=x",
        }),
        415,
        "unsupported_media_type",
      );
    });

    it("422 for a POST without a body or Content-Type", async () => {
      const response = await target.fetch("/api/v1/users", { method: "POST" });
      expect([415, 422]).toContain(response.status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    });

    it("413 for a body over the documented limit (64 KiB), before parsing", async () => {
      const tag = uniqueTag();
      const big = JSON.stringify(userInput(tag, { note: "x".repeat(70_000) }));
      await expectProblem(
        await target.fetch("/api/v1/users", { method: "POST", headers: { "content-type": "application/json" }, body: big }),
        413,
        "payload_too_large",
      );
      expect(await countUsers(target, tag)).toBe(0);
    });

    it("keeps a sane X-Request-Id and replaces an insane one", async () => {
      const kept = await target.fetch("/health", { headers: { "x-request-id": "abc-123.def:ghi_4" } });
      expect(kept.headers.get("x-request-id")).toBe("abc-123.def:ghi_4");
      const problem = await target.fetch("/api/v1/users/not-a-uuid", { headers: { "x-request-id": "trace-42" } });
      expect(((await problem.json()) as { requestId: string }).requestId).toBe("trace-42");
      for (const insane of ["has space", "x".repeat(129), "semi;colon"]) {
        const replaced = await target.fetch("/health", { headers: { "x-request-id": insane } });
        const id = replaced.headers.get("x-request-id") ?? "";
        expect(id).not.toBe(insane);
        expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
      }
    });

    it("sets security headers on JSON and problem responses", async () => {
      for (const response of [await target.fetch("/health"), await target.fetch("/missing")]) {
        expect(response.headers.get("x-content-type-options")).toBe("nosniff");
        expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
        expect(response.headers.get("referrer-policy")).toBe("no-referrer");
        expect(response.headers.get("strict-transport-security")).toBeNull();
      }
      const secure = await target.fetch("https://service.test/health");
      expect(secure.headers.get("strict-transport-security")).toContain("max-age=");
    });

    it("answers CORS only for allowed origins (none by default)", async () => {
      const response = await target.fetch("/api/v1/users", { headers: { origin: "https://evil.example" } });
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    });

    it("never answers 500 to odd but well-formed input", async () => {
      const odd = [
        json(userInput(uniqueTag(), { password: "\ud800".repeat(12) })),
        json(userInput(`${"x".repeat(300)}${uniqueTag()}`, { password: "é".repeat(256), role: "ZZZ" })),
        json({ email: { nested: { deep: [1, [2, [3]]] } }, password: 1, role: "viewer" }),
        json(null),
        json("string"),
        { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) },
        { method: "POST", headers: { "content-type": "application/json" }, body: "" },
      ];
      for (const init of odd) {
        const response = await target.fetch("/api/v1/users", init);
        expect(response.status, await response.clone().text()).toBeLessThan(500);
      }
      const queries = ["q=%00", "q=%25%5F%5C", `cursor=${"A".repeat(1025)}`, "limit=1e2", "role=viewer&role=admin", "sort=email&sort=x"];
      for (const query of queries) {
        const response = await target.fetch(`/api/v1/users?${query}`);
        expect(response.status, query).toBeLessThan(500);
      }
    });

    it("HEAD on a collection answers like GET without a body", async () => {
      const response = await target.fetch("/api/v1/users?limit=1", { method: "HEAD" });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
    });
  });
}
