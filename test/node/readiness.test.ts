import { afterAll, describe, expect, inject, it } from "vitest";
import { createDatabase, dropDatabase } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/migrations";
import { openClient } from "../../scripts/lib/pg-client";
import { latestMigration } from "../../src/modules/health/readiness";
import { createNodeTarget, type NodeTarget } from "./app-target";

const adminUrl = inject("adminDatabaseUrl");
const made: string[] = [];
const targets: NodeTarget[] = [];

/** A throwaway database on the test server, and the app pointed at it. */
async function appOn(prepare: (url: string) => Promise<void>, settings: Record<string, string> = {}) {
  const name = `readiness_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  made.push(name);
  const url = await createDatabase(adminUrl, name);
  await prepare(url);
  const target = createNodeTarget({ DATABASE_URL: url, ...settings });
  targets.push(target);
  return target;
}

async function run(url: string, statement: string, values: unknown[] = []) {
  const client = await openClient(url);
  try {
    await client.query(statement, values);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await Promise.all(targets.map((target) => target.database.close()));
  await Promise.all(made.map((name) => dropDatabase(adminUrl, name)));
});

describe("/ready: migrations applied", () => {
  it("is 503 with migrations pending on a database never migrated", async () => {
    const target = await appOn(async () => {});
    const response = await target.fetch("/ready");
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).not.toBeNull();
    const body = (await response.json()) as { detail: string };
    expect(body).toMatchObject({ code: "service_unavailable", checks: { database: "ok", migrations: "pending" } });
    expect(body.detail).toContain(latestMigration().tag);
  });

  it("is 503 with migrations pending when the newest migration is not recorded", async () => {
    const target = await appOn(async (url) => {
      await applyMigrations(url);
      await run(url, "delete from drizzle.__drizzle_migrations where created_at = $1", [latestMigration().when]);
    });
    const response = await target.fetch("/ready");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ checks: { database: "ok", migrations: "pending" } });
  });

  it("is 200 once migrated, reports the build, and costs one statement", async () => {
    const target = await appOn(applyMigrations, { BUILD_VERSION: "1.2.3", BUILD_COMMIT: "abc1234" });
    target.resetStatements();
    const response = await target.fetch("/ready");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      checks: { database: "ok", migrations: "ok" },
      version: "1.2.3",
      commit: "abc1234",
    });
    expect(target.statements()).toBe(1);
  });
});
