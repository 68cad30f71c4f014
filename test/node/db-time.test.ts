import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createQueryTimer } from "../../src/core/query-timer";
import { createNodeTarget } from "./app-target";

const { database } = createNodeTarget();
afterAll(() => database.close());

const settingRows = z.object({ rows: z.array(z.object({ name: z.string() })) });
const sleep = (seconds: number) => sql`select pg_sleep(${seconds})`;

describe("database time per request timer (node-postgres, shared pool)", () => {
  it("counts only its own request's queries while others run on the same pool", async () => {
    const [slowTimer, fastTimer] = [createQueryTimer(), createQueryTimer()];
    const slow = database.open(slowTimer);
    const fast = database.open(fastTimer);
    await Promise.all([slow.execute(sleep(0.3)), fast.execute(sql`select 1`)]);
    expect(slowTimer.elapsedMs()).toBeGreaterThanOrEqual(300);
    expect(fastTimer.elapsedMs()).toBeGreaterThan(0);
    expect(fastTimer.elapsedMs()).toBeLessThan(150);
  });

  it("counts overlapping queries of one request once (wall time, not the sum)", async () => {
    const timer = createQueryTimer();
    const db = database.open(timer);
    const started = performance.now();
    await Promise.all([db.execute(sleep(0.2)), db.execute(sleep(0.2))]);
    const wall = performance.now() - started;
    expect(timer.elapsedMs()).toBeGreaterThanOrEqual(200);
    expect(timer.elapsedMs()).toBeLessThanOrEqual(wall + 1);
  });

  it("times a transaction's statements and keeps them on one connection", async () => {
    const timer = createQueryTimer();
    const db = database.open(timer);
    const setting = await db.transaction(async (tx) => {
      await tx.execute(sql`set local application_name = 'db-time-test'`);
      await tx.execute(sleep(0.1));
      // Only the same connection (the one the transaction checked out) sees the SET LOCAL.
      const result = await tx.execute(sql`select current_setting('application_name') as name`);
      return settingRows.parse(result).rows[0]?.name;
    });
    expect(setting).toBe("db-time-test");
    expect(timer.elapsedMs()).toBeGreaterThanOrEqual(100);
  });
});
