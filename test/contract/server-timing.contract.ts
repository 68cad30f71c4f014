import { describe, expect, it } from "vitest";
import { type ContractTarget, json, uniqueTag, userInput } from "./target";

/** `db;dur=1.23, total;dur=4.56` → { db: 1.23, total: 4.56 }; fails the test when the header is missing or malformed. */
function serverTiming(response: Response): { db: number; total: number } {
  const header = response.headers.get("server-timing") ?? "";
  const match = /^db;dur=(\d+(?:\.\d+)?), total;dur=(\d+(?:\.\d+)?)$/.exec(header);
  expect(match, `Server-Timing: ${header}`).not.toBeNull();
  return { db: Number(match?.[1]), total: Number(match?.[2]) };
}

export function serverTimingContract(target: ContractTarget) {
  describe(`Server-Timing (${target.runtime})`, () => {
    it("reports the database time of a request that queries, within its total", async () => {
      const created = await target.fetch("/api/v1/users", json(userInput(uniqueTag())));
      expect(created.status).toBe(201);
      const write = serverTiming(created);
      expect(write.db).toBeGreaterThan(0);
      expect(write.total).toBeGreaterThanOrEqual(write.db);

      const { id } = (await created.json()) as { id: string };
      const read = serverTiming(await target.fetch(`/api/v1/users/${id}`));
      expect(read.db).toBeGreaterThan(0);
      expect(read.total).toBeGreaterThanOrEqual(read.db);
    });

    it("reports db=0 where the database is never touched", async () => {
      const health = await target.fetch("/health");
      expect(health.status).toBe(200);
      expect(serverTiming(health).db).toBe(0);
    });

    it("is on error responses too", async () => {
      const missing = await target.fetch(`/api/v1/users/${crypto.randomUUID()}`);
      expect(missing.status).toBe(404);
      expect(serverTiming(missing).db).toBeGreaterThan(0);

      const anonymous = await target.as("anonymous")("/api/v1/users");
      expect(anonymous.status).toBe(401);
      expect(serverTiming(anonymous).db).toBe(0);
    });

    it("counts /ready's own database check", async () => {
      const ready = await target.fetch("/ready");
      expect(ready.status).toBe(200);
      expect(serverTiming(ready).db).toBeGreaterThan(0);
    });
  });
}
