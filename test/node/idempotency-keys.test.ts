import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { IdempotencyRepository, KeyAnswered, KeyInUse } from "../../src/modules/idempotency/idempotency.repository";
import { idempotencyKeys } from "../../src/modules/idempotency/idempotency.table";
import { toUser, UserRepository } from "../../src/modules/users/users.repository";
import { users as usersTable } from "../../src/modules/users/users.table";
import { countUsers, json, uniqueTag, userInput } from "../contract/target";
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
    expect(row).toMatchObject({ status: 201, headers: { Location: expect.stringMatching(/^\/api\/v1\/users\//) } });
    const [{ hours } = { hours: 0 }] = await db()
      .select({ hours: sql<number>`extract(epoch from ${idempotencyKeys.expiresAt} - now()) / 3600` })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, row.userId), eq(idempotencyKeys.key, row.key)));
    expect(Number(hours)).toBeGreaterThan(23.9);
  });

  it("answer 409 while the first request still runs (it holds the key's lock), and the retry afterwards creates", async () => {
    const tag = uniqueTag();
    // Another user's tag: `countUsers` matches substrings.
    const row = await firstClaim(uniqueTag());
    const key = `running-${tag}`;
    const send = () => target.fetch("/api/v1/users", json(userInput(tag), "POST", { "idempotency-key": key }));
    // A first request in the middle of its create statement holds the key's advisory lock.
    const holder = await target.database.pool.connect();
    try {
      await holder.query("select pg_advisory_lock(hashtextextended($1 || ' ' || $2, 0))", [row.userId, key]);
      const busy = await send();
      expect(busy.status).toBe(409);
      expect(busy.headers.get("retry-after")).toBe("1");
      expect(await countUsers(target, tag)).toBe(0);
      expect(await db().select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key))).toEqual([]);
    } finally {
      await holder.query("select pg_advisory_unlock_all()");
      holder.release();
    }
    const retried = await send();
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotency-replayed")).toBeNull();
    expect(await countUsers(target, tag)).toBe(1);
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

  it("write the resource and its answer in one statement: a create that cannot store its answer creates nothing", async () => {
    const tag = uniqueTag();
    const keys = new IdempotencyRepository(db());
    const scope = { userId: `once-${tag}`, key: `k-${tag}`, requestHash: "first" };
    const users = new UserRepository(db());
    const user = (email: string) => ({ email, role: "viewer" as const, passwordHash: "pbkdf2-sha256$1$c2FsdA$aGFzaA" });
    const location = (id: string) => `/api/v1/users/${id}`;
    const created = toUser(await users.create(user(`${tag}-a@test.example`), scope, location));
    expect(await keys.find(scope)).toMatchObject({ status: 201, response: created, requestHash: "first" });

    // The same key for another request: the user row is rolled back with the failed answer.
    const reused = users.create(user(`${tag}-b@test.example`), { ...scope, requestHash: "second" }, location);
    await expect(reused).rejects.toBeInstanceOf(KeyAnswered);
    await expect(reused).rejects.toMatchObject({ stored: { requestHash: "first", response: created } });
    expect(
      await db()
        .select()
        .from(usersTable)
        .where(eq(usersTable.email, `${tag}-b@test.example`)),
    ).toEqual([]);
  });

  it("fence a create on the key's lock: while another request holds it, nothing is created or stored", async () => {
    const tag = uniqueTag();
    const scope = { userId: `fence-${tag}`, key: `k-${tag}`, requestHash: "h" };
    const holder = await target.database.pool.connect();
    try {
      await holder.query("select pg_advisory_lock(hashtextextended($1 || ' ' || $2, 0))", [scope.userId, scope.key]);
      const users = new UserRepository(db());
      const attempt = users.create(
        { email: `${tag}@test.example`, role: "viewer", passwordHash: "pbkdf2-sha256$1$c2FsdA$aGFzaA" },
        scope,
        (id) => `/api/v1/users/${id}`,
      );
      await expect(attempt).rejects.toBeInstanceOf(KeyInUse);
    } finally {
      await holder.query("select pg_advisory_unlock_all()");
      holder.release();
    }
    expect(
      await db()
        .select()
        .from(usersTable)
        .where(eq(usersTable.email, `${tag}@test.example`)),
    ).toEqual([]);
    expect(await new IdempotencyRepository(db()).find(scope)).toBeUndefined();
  });
});
