import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { IdempotencyRepository } from "../../src/modules/idempotency/idempotency.repository";
import { idempotencyKeys } from "../../src/modules/idempotency/idempotency.table";
import { toUser, UserRepository } from "../../src/modules/users/users.repository";
import { users as usersTable } from "../../src/modules/users/users.table";
import { json, uniqueTag, userInput } from "../contract/target";
import { createNodeTarget } from "./app-target";

const target = createNodeTarget();
afterAll(() => target.database.close());
const db = () => target.database.db;
// Through user creation, the idempotent create every service keeps.

async function firstClaim(tag: string) {
  const key = `k-${tag}`;
  const response = await target.fetch("/api/v1/users", json(userInput(tag), "POST", { "idempotency-key": key }));
  expect(response.status).toBe(201);
  const [row] = await db().select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
  if (!row) throw new Error("no key row");
  return row;
}

describe("idempotency keys in the database", () => {
  it("are stored with the answer and kept at least 24 hours", async () => {
    const row = await firstClaim(uniqueTag());
    expect(row).toMatchObject({ state: "done", status: 201 });
    const [{ hours } = { hours: 0 }] = await db()
      .select({ hours: sql<number>`extract(epoch from ${idempotencyKeys.expiresAt} - now()) / 3600` })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, row.userId), eq(idempotencyKeys.key, row.key)));
    expect(Number(hours)).toBeGreaterThan(23.9);
  });

  it("answer 409 while the first request is still running, and let a retry take over a stale claim", async () => {
    const tag = uniqueTag();
    const row = await firstClaim(`${tag}-seed`);
    const key = `running-${tag}`;
    const body = JSON.stringify(userInput(tag));
    const send = () =>
      target.fetch("/api/v1/users", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": key },
        body,
      });
    // A claim as the first request leaves it: running, with the hash of exactly this request.
    const hashOf = async (text: string) =>
      Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))), (b) =>
        b.toString(16).padStart(2, "0"),
      ).join("");
    const requestHash = await hashOf(`POST /api/v1/users\n${body}`);
    await db()
      .insert(idempotencyKeys)
      .values({ userId: row.userId, key, requestHash, state: "running", expiresAt: sql`now() + interval '1 day'` });
    expect((await send()).status).toBe(409);
    await db()
      .update(idempotencyKeys)
      .set({ lockedAt: sql`now() - interval '2 minutes'` })
      .where(and(eq(idempotencyKeys.userId, row.userId), eq(idempotencyKeys.key, key)));
    const takeover = await send();
    expect(takeover.status).toBe(201);
  });

  it("expired keys are purged", async () => {
    const row = await firstClaim(uniqueTag());
    await db()
      .update(idempotencyKeys)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(and(eq(idempotencyKeys.userId, row.userId), eq(idempotencyKeys.key, row.key)));
    expect(await new IdempotencyRepository(db()).purgeExpired()).toBeGreaterThanOrEqual(1);
    const left = await db()
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, row.userId), eq(idempotencyKeys.key, row.key)));
    expect(left).toHaveLength(0);
  });

  it("fence a request whose claim a retry took over: it creates nothing, releases nothing, stores nothing", async () => {
    const tag = uniqueTag();
    const keys = new IdempotencyRepository(db());
    const scope = { userId: `fence-${tag}`, key: `k-${tag}`, requestHash: "h" };
    const first = await keys.claim(scope, 60_000);
    if (!first.claimed) throw new Error("not claimed");
    const stale = { ...scope, token: first.token };
    // The first request outlives its budget; a retry of the same request takes the key over.
    await db()
      .update(idempotencyKeys)
      .set({ lockedAt: sql`now() - interval '2 minutes'` })
      .where(and(eq(idempotencyKeys.userId, scope.userId), eq(idempotencyKeys.key, scope.key)));
    const takeover = await keys.claim(scope, 60_000);
    if (!takeover.claimed) throw new Error("not taken over");
    expect(takeover.token).not.toBe(first.token);

    const users = new UserRepository(db());
    const user = (email: string) => ({ email, role: "viewer" as const, passwordHash: "pbkdf2-sha256$1$c2FsdA$aGFzaA" });
    await expect(users.create(user(`${tag}-late@test.example`), stale)).rejects.toMatchObject({ code: "conflict" });
    await keys.release(stale);
    await keys.complete(stale, 409, { late: true });
    const [row] = await db()
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, scope.userId), eq(idempotencyKeys.key, scope.key)));
    expect(row).toMatchObject({ state: "running", status: null });
    expect(
      await db()
        .select()
        .from(usersTable)
        .where(eq(usersTable.email, `${tag}-late@test.example`)),
    ).toEqual([]);

    // The retry's own create goes through and stores its answer.
    const created = toUser(await users.create(user(`${tag}@test.example`), { ...scope, token: takeover.token }));
    const [done] = await db()
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, scope.userId), eq(idempotencyKeys.key, scope.key)));
    expect(done).toMatchObject({ state: "done", status: 201, response: created });
  });
});
