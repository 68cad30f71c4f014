import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type SqlOverHttpEndpoint, startSqlOverHttpEndpoint } from "../../scripts/lib/sql-over-http";
import { postSql } from "./sql-over-http-client";

// What the local /sql endpoint answers for statements, pinned to Neon's proxy
// (sql_over_http.rs `query_to_json`, json.rs `pg_text_to_json`, `json_to_pg_text`).

const databaseUrl = inject("databaseUrl");
let endpoint: SqlOverHttpEndpoint;
const table = `sql_http_results_${randomBytes(4).toString("hex")}`;
const post = (body: unknown, headers: Record<string, string> = {}) => postSql(endpoint.url, databaseUrl, body, headers);
const raw = { "Neon-Raw-Text-Output": "true" };

beforeAll(async () => {
  endpoint = await startSqlOverHttpEndpoint({ port: 0 });
  const created = await post({ query: `create table ${table} (id int primary key, name text constraint ${table}_name_key unique)` });
  expect(created.body).toMatchObject({ command: "CREATE", rowCount: null });
});

afterAll(async () => {
  await post({ query: `drop table if exists ${table}` });
  await endpoint.close();
});

describe("sql-over-http results", () => {
  it("writes the proxy's keys in order, with each field's metadata and format 'text'", async () => {
    await post({ query: `insert into ${table} (id, name) values (1, 'one')` });
    const answer = await post({ query: `select id, name from ${table} where id = $1`, params: ["1"] }, raw);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(["fields", "rows", "command", "rowCount", "rowAsArray"]);
    const tableId = (await post({ query: "select $1::regclass::oid as oid", params: [table] }, raw)).body.rows;
    expect(answer.body.fields).toEqual([
      {
        name: "id",
        dataTypeID: 23,
        tableID: Number((tableId as { oid: string }[])[0]?.oid),
        columnID: 1,
        dataTypeSize: 4,
        dataTypeModifier: -1,
        format: "text",
      },
      {
        name: "name",
        dataTypeID: 25,
        tableID: Number((tableId as { oid: string }[])[0]?.oid),
        columnID: 2,
        dataTypeSize: -1,
        dataTypeModifier: -1,
        format: "text",
      },
    ]);
    expect(answer.body).toMatchObject({ rows: [{ id: "1", name: "one" }], command: "SELECT", rowCount: 1, rowAsArray: false });
  });

  it("with raw text output, sends every value as Postgres' text and null as null", async () => {
    const answer = await post(
      {
        query:
          "select true as b, 42 as i, 1.5::float8 as f, '{\"a\": 1}'::jsonb as j, '{1,2}'::int[] as a, timestamptz '2024-01-02 03:04:05+00' as t, null as n",
      },
      raw,
    );
    expect(answer.body.rows).toEqual([{ b: "t", i: "42", f: "1.5", j: '{"a": 1}', a: "{1,2}", t: "2024-01-02 03:04:05+00", n: null }]);
  });

  it("without raw text output, converts values as pg_text_to_json does", async () => {
    const answer = await post({
      query:
        "select true as b, 42::int2 as s, 42 as i, 42::int8 as big, 1.5::numeric as num, 2.5::float8 as f, 'NaN'::float8 as nan, " +
        `'{"a": [1, null]}'::jsonb as j, '{{1,2},{3,NULL}}'::int[] as ints, array['a,b', null, 'c"d'] as texts, '{t,f}'::bool[] as bools`,
    });
    expect(answer.body.rows).toEqual([
      {
        b: true,
        s: 42,
        i: 42,
        big: "42",
        num: "1.5",
        f: 2.5,
        nan: "NaN",
        j: { a: [1, null] },
        ints: [
          [1, 2],
          [3, null],
        ],
        texts: ["a,b", null, 'c"d'],
        bools: [true, false],
      },
    ]);
  });

  it("answers 500 'could not parse postgres response' where the proxy's conversion fails (int2vector reads as an array)", async () => {
    const answer = await post({ query: "select '1 2'::int2vector as v" });
    expect(answer).toMatchObject({ status: 500, body: { message: "could not parse postgres response", code: "" } });
    expect((await post({ query: "select '1 2'::int2vector as v" }, raw)).body.rows).toEqual([{ v: "1 2" }]);
  });

  it("answers rows as arrays with Neon-Array-Mode, and a query's own arrayMode wins over the header", async () => {
    const byHeader = await post({ query: "select 1 as a, 2 as b" }, { ...raw, "Neon-Array-Mode": "true" });
    expect(byHeader.body).toMatchObject({ rows: [["1", "2"]], rowAsArray: true });
    const byQuery = await post({ query: "select 1 as a", arrayMode: false }, { ...raw, "Neon-Array-Mode": "true" });
    expect(byQuery.body).toMatchObject({ rows: [{ a: "1" }], rowAsArray: false });
    const notStrictlyTrue = await post({ query: "select 1 as a" }, { ...raw, "Neon-Array-Mode": "TRUE" });
    expect(notStrictlyTrue.body).toMatchObject({ rows: [{ a: "1" }], rowAsArray: false });
  });

  it("writes every column of a row, so duplicate names repeat in the JSON text and the last wins", async () => {
    const answer = await post({ query: "select 1 as x, 2 as x" }, raw);
    expect(answer.text).toContain('"rows":[{"x":"1","x":"2"}]');
    expect(answer.body.rows).toEqual([{ x: "2" }]);
  });

  it("takes command and rowCount from the command tag (INSERT's second number; null where there is none)", async () => {
    const tag = async (query: string) => {
      const { command, rowCount } = (await post({ query })).body;
      return [command, rowCount];
    };
    expect(await tag(`insert into ${table} (id, name) values (10, 'a'), (11, 'b'), (12, 'c')`)).toEqual(["INSERT", 3]);
    expect(await tag(`update ${table} set name = name || '!' where id >= 10`)).toEqual(["UPDATE", 3]);
    expect(await tag(`select * from ${table} where id >= 11`)).toEqual(["SELECT", 2]);
    expect(await tag(`delete from ${table} where id >= 10`)).toEqual(["DELETE", 3]);
    expect(await tag("set search_path to public")).toEqual(["SET", null]);
    expect(await tag("begin")).toEqual(["BEGIN", null]);
    expect(await tag("")).toEqual(["", null]);
  });

  it("runs every statement through the extended protocol, so two statements fail even without parameters", async () => {
    const answer = await post({ query: "select 1; select 2" });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: "42601", message: "cannot insert multiple commands into a prepared statement" });
  });

  it("turns non-string JSON parameters into text as json_to_pg_text does", async () => {
    // Written as text: JSON.stringify would print 1.0 as 1.
    const body =
      '{"query":"select $1::text as n, $2::text as f, $3::text as b, $4::text as o, $5::text as a, $6::text as nested, $7::text as nul",' +
      '"params":[42, 1.0, true, {"b": 1, "a": [1, 2]}, ["x", null, 3, {"k": "v"}], [[1, 2], [3, 4]], null]}';
    const answer = await post(body, raw);
    expect(answer.body.rows).toEqual([
      { n: "42", f: "1.0", b: "true", o: '{"a":[1,2],"b":1}', a: '{"x",NULL,3,"{\\"k\\":\\"v\\"}"}', nested: "{{1,2},{3,4}}", nul: null },
    ]);
    const asArray = await post({ query: "select $1::int[] as answer", params: [[1, 2, 3]] });
    expect(asArray.body.rows).toEqual([{ answer: [1, 2, 3] }]);
  });

  it("gives the connection back with its session reset: no open transaction, no SET", async () => {
    // A pool of its own, used one request at a time, so every request gets the same connection (checked by its pid).
    const own = await startSqlOverHttpEndpoint({ port: 0 });
    const ask = async (query: string) => {
      const answer = await postSql(own.url, databaseUrl, { query }, raw);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return answer.body.rows as Record<string, string>[];
    };
    try {
      const [before] = await ask("select pg_backend_pid() as pid");
      await ask("begin isolation level repeatable read");
      await ask("set statement_timeout = '1234ms'");
      const [after] = await ask(
        "select pg_backend_pid() as pid, current_setting('transaction_isolation') as i, current_setting('statement_timeout') as t",
      );
      expect(after).toEqual({ pid: before?.pid, i: "read committed", t: "0" });
    } finally {
      await own.close();
    }
  });
});

describe("sql-over-http Postgres errors", () => {
  it("answers 400 with Postgres' fields for a unique violation", async () => {
    await post({ query: `insert into ${table} (id, name) values (20, 'dup')` });
    const answer = await post({ query: `insert into ${table} (id, name) values (21, 'dup')` });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      code: "23505",
      constraint: `${table}_name_key`,
      table,
      schema: "public",
      severity: "ERROR",
      detail: "Key (name)=(dup) already exists.",
      position: null,
      routine: "_bt_check_unique",
    });
    expect(answer.body.message).toMatch(/^duplicate key value violates unique constraint/);
    expect(answer.body.line).toMatch(/^\d+$/);
  });

  it("gives a statement's error position as position, and an internal query's as internalPosition + internalQuery", async () => {
    const original = await post({ query: "select 1 from nowhere_at_all" });
    expect(original.body).toMatchObject({ code: "42P01", position: "15", internalPosition: null, internalQuery: null });
    const internal = await post({ query: "do $$ begin execute 'select from from'; end $$" });
    expect(internal.body).toMatchObject({ code: "42601", position: null, internalPosition: "13", internalQuery: "select from from" });
    expect(internal.body.where).toMatch(/PL\/pgSQL function/);
  });
});

describe("sql-over-http batches", () => {
  it("runs the queries in one transaction and answers {results:[…]}", async () => {
    const answer = await post(
      {
        queries: [
          { query: `insert into ${table} (id, name) values ($1, $2)`, params: ["30", "thirty"] },
          { query: "select txid_current() as x" },
          { query: "select txid_current() as x" },
        ],
      },
      raw,
    );
    expect(answer.status).toBe(200);
    const results = answer.body.results as { command: string; rows: { x: string }[] }[];
    expect(results.map((r) => r.command)).toEqual(["INSERT", "SELECT", "SELECT"]);
    expect(results[1]?.rows[0]?.x).toBe(results[2]?.rows[0]?.x);
  });

  it("rolls everything back at the first error, which is the answer", async () => {
    const answer = await post({
      queries: [
        { query: `insert into ${table} (id, name) values (40, 'forty')` },
        { query: `insert into ${table} (id, name) values (40, 'again')` },
        { query: "select 1" },
      ],
    });
    expect(answer).toMatchObject({ status: 400, body: { code: "23505", constraint: `${table}_pkey` } });
    expect((await post({ query: `select * from ${table} where id = 40` })).body.rowCount).toBe(0);
  });

  it("honours the isolation level, read-only and deferrable headers and repeats them on the answer", async () => {
    const headers = {
      ...raw,
      "Neon-Batch-Isolation-Level": "Serializable",
      "Neon-Batch-Read-Only": "true",
      "Neon-Batch-Deferrable": "true",
    };
    const answer = await post(
      {
        queries: [
          {
            query:
              "select current_setting('transaction_isolation') as i, current_setting('transaction_read_only') as r, current_setting('transaction_deferrable') as d",
          },
        ],
      },
      headers,
    );
    expect((answer.body.results as { rows: unknown[] }[])[0]?.rows).toEqual([{ i: "serializable", r: "on", d: "on" }]);
    expect(answer.headers.get("neon-batch-isolation-level")).toBe("Serializable");
    expect(answer.headers.get("neon-batch-read-only")).toBe("true");
    expect(answer.headers.get("neon-batch-deferrable")).toBe("true");
    for (const [level, expected] of [
      ["ReadCommitted", "read committed"],
      ["RepeatableRead", "repeatable read"],
      ["ReadUncommitted", "read uncommitted"],
    ]) {
      const other = await post(
        { queries: [{ query: "select current_setting('transaction_isolation') as i" }] },
        { ...raw, "Neon-Batch-Isolation-Level": level ?? "" },
      );
      expect((other.body.results as { rows: unknown[] }[])[0]?.rows).toEqual([{ i: expected }]);
    }
    const write = await post({ queries: [{ query: `insert into ${table} (id) values (50)` }] }, { "Neon-Batch-Read-Only": "true" });
    expect(write).toMatchObject({ status: 400, body: { code: "25006" } });
  });
});

describe("sql-over-http response size", () => {
  it("answers 507 once a result passes 10 MiB", async () => {
    const answer = await post({ query: "select repeat('x', 1048576) from generate_series(1, 12)" });
    expect(answer).toMatchObject({ status: 507, body: { message: "response is too large (max is 10485760 bytes)", code: "" } });
    expect((await post({ query: "select 1" })).status).toBe(200);
  });

  it("measures before each row, like the proxy: one row past the limit passes, the next is refused", async () => {
    const small = await startSqlOverHttpEndpoint({ port: 0, maxResponseBytes: 1000 });
    try {
      const one = await postSql(small.url, databaseUrl, { query: "select repeat('x', 5000) as x" });
      expect(one.status).toBe(200);
      const two = await postSql(small.url, databaseUrl, { query: "select repeat('x', 5000) as x from generate_series(1, 2)" });
      expect(two).toMatchObject({ status: 507, body: { message: "response is too large (max is 1000 bytes)" } });
      const batch = await postSql(small.url, databaseUrl, {
        queries: [{ query: "select repeat('x', 5000) as x" }, { query: "select 1 as one" }],
      });
      expect(batch.status).toBe(507);
    } finally {
      await small.close();
    }
  });
});
