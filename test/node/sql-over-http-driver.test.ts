import { randomBytes } from "node:crypto";
import { NeonDbError, neon, neonConfig } from "@neondatabase/serverless";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type SqlOverHttpEndpoint, startSqlOverHttpEndpoint } from "../../scripts/lib/sql-over-http";
import { closedPort, withUrl } from "./sql-over-http-client";

// The local /sql endpoint through the real driver: neon() of @neondatabase/serverless 1.2.0.
// The driver reads `neonConfig.fetchEndpoint` globally at each query (neon() takes no endpoint
// option), so this file sets it once; vitest isolates test files, so no other suite sees it.

const databaseUrl = inject("databaseUrl");
const admin = new pg.Pool({ connectionString: inject("adminDatabaseUrl"), max: 2 });
admin.on("error", () => {});
let endpoint: SqlOverHttpEndpoint;
const table = `sql_http_driver_${randomBytes(4).toString("hex")}`;
const previousEndpoint = neonConfig.fetchEndpoint;

beforeAll(async () => {
  endpoint = await startSqlOverHttpEndpoint({ port: 0 });
  neonConfig.fetchEndpoint = endpoint.url;
  await neon(databaseUrl).query(
    `create table ${table} (id int primary key, email text constraint ${table}_email_key unique, at timestamptz)`,
  );
});

afterAll(async () => {
  await neon(databaseUrl).query(`drop table if exists ${table}`);
  neonConfig.fetchEndpoint = previousEndpoint;
  await endpoint.close();
  await admin.end();
});

/** Backends still running the statement tagged `marker`. */
async function running(marker: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    "select count(*)::int as n from pg_stat_activity where state = 'active' and query like $1 and pid <> pg_backend_pid()",
    [`%${marker}%`],
  );
  return rows[0]?.n ?? 0;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe("sql-over-http through the Neon driver", () => {
  it("runs tagged-template and parameterized queries, with the driver's own type parsing", async () => {
    const sql = neon(databaseUrl);
    const at = new Date("2024-05-06T07:08:09.123Z");
    await sql`insert into ${sql.unsafe(table)} (id, email, at) values (${1}, ${"a@example.com"}, ${at})`;
    const rows = await sql`select id, email, at from ${sql.unsafe(table)} where id = ${1}`;
    expect(rows).toEqual([{ id: 1, email: "a@example.com", at }]);
    const full = await sql.query(`update ${table} set email = $1 where id = $2`, ["b@example.com", 1], { fullResults: true });
    expect(full).toMatchObject({ command: "UPDATE", rowCount: 1 });
  });

  it("commits sql.transaction([...]) as one batch with the requested isolation level", async () => {
    const sql = neon(databaseUrl);
    const [inserted, isolation] = await sql.transaction(
      [
        sql`insert into ${sql.unsafe(table)} (id, email) values (${10}, ${"t@example.com"}) returning id`,
        sql`select current_setting('transaction_isolation') as level`,
      ],
      { isolationLevel: "RepeatableRead" },
    );
    expect(inserted).toEqual([{ id: 10 }]);
    expect(isolation).toEqual([{ level: "repeatable read" }]);
  });

  it("throws NeonDbError with code 23505 and the constraint for a unique violation, and rolls the transaction back", async () => {
    const sql = neon(databaseUrl);
    await sql`insert into ${sql.unsafe(table)} (id, email) values (${20}, ${"dup@example.com"})`;
    const failing = sql.transaction([
      sql`insert into ${sql.unsafe(table)} (id, email) values (${21}, ${"fresh@example.com"})`,
      sql`insert into ${sql.unsafe(table)} (id, email) values (${22}, ${"dup@example.com"})`,
    ]);
    const error = await failing.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({
      code: "23505",
      constraint: `${table}_email_key`,
      table,
      detail: "Key (email)=(dup@example.com) already exists.",
    });
    expect(await sql`select id from ${sql.unsafe(table)} where id = ${21}`).toEqual([]);
  });

  it("surfaces an unreachable Postgres as 'Server error (HTTP status 500)', without Postgres fields", async () => {
    const port = await closedPort();
    const sql = neon(
      withUrl(databaseUrl, (url) => {
        url.port = String(port);
      }),
    );
    const error = await sql`select 1`.catch((caught: unknown) => caught);
    // The driver builds every failure as a NeonDbError; only a 400 copies the Postgres fields onto it.
    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({ message: expect.stringMatching(/^Server error \(HTTP status 500\): /), code: undefined });
    expect(String(error)).toContain("Couldn't connect to compute node");
  });
});

describe("sql-over-http when the client goes away", () => {
  it("cancels the running statement on Postgres and keeps serving", async () => {
    const marker = `cancel_${randomBytes(4).toString("hex")}`;
    const controller = new AbortController();
    const sql = neon(databaseUrl, { fetchOptions: { signal: controller.signal } });
    const pending = sql.query(`select pg_sleep(30) /* ${marker} */`).catch((caught: unknown) => caught);
    expect(await waitFor(async () => (await running(marker)) === 1, 5_000)).toBe(true);
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    expect(await waitFor(async () => (await running(marker)) === 0, 2_000)).toBe(true);
    expect(await neon(databaseUrl)`select 1 as ok`).toEqual([{ ok: 1 }]);
  });

  it("rolls back a batch whose statement is cancelled", async () => {
    const marker = `cancel_batch_${randomBytes(4).toString("hex")}`;
    const controller = new AbortController();
    const sql = neon(databaseUrl, { fetchOptions: { signal: controller.signal } });
    const pending = sql
      .transaction([
        sql`insert into ${sql.unsafe(table)} (id, email) values (${30}, ${marker})`,
        sql.query(`select pg_sleep(30) /* ${marker} */`),
      ])
      .catch((caught: unknown) => caught);
    expect(await waitFor(async () => (await running(marker)) === 1, 5_000)).toBe(true);
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    expect(await waitFor(async () => (await running(marker)) === 0, 2_000)).toBe(true);
    const { rows } = await admin.query("select 1 from pg_stat_activity where query like $1 and state like 'idle in transaction%'", [
      `%${marker}%`,
    ]);
    expect(rows).toEqual([]);
    expect(await neon(databaseUrl)`select id from ${neon(databaseUrl).unsafe(table)} where id = ${30}`).toEqual([]);
  });
});
