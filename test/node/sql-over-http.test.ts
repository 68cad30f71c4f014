import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openClient } from "../../scripts/lib/pg-client";
import { type SqlOverHttpEndpoint, startSqlOverHttpEndpoint } from "../../scripts/lib/sql-over-http";
import { closedPort, postSql, withUrl } from "./sql-over-http-client";

// The local /sql endpoint spoken to over plain HTTP, pinned to what Neon's proxy answers
// (neondatabase/neon proxy/src/serverless/sql_over_http.rs, json.rs, mod.rs).

const databaseUrl = inject("databaseUrl");
let endpoint: SqlOverHttpEndpoint;
const table = `sql_http_${randomBytes(4).toString("hex")}`;

const post = (body: unknown, headers: Record<string, string> = {}, url = endpoint.url) => postSql(url, databaseUrl, body, headers);
const raw = { "Neon-Raw-Text-Output": "true" };

beforeAll(async () => {
  endpoint = await startSqlOverHttpEndpoint({ port: 0 });
  const created = await post({ query: `create table ${table} (id int primary key, name text constraint ${table}_name_key unique)` });
  expect(created.status).toBe(200);
});

afterAll(async () => {
  await post({ query: `drop table if exists ${table}` });
  await endpoint.close();
});

describe("sql-over-http routing", () => {
  it("answers 400 'query is not supported' to other paths and methods, as mod.rs does", async () => {
    const get = await fetch(endpoint.url);
    expect(get.status).toBe(400);
    expect(await get.json()).toBe("query is not supported");
    const other = await fetch(endpoint.url.replace("/sql", "/other"), { method: "POST", body: "{}" });
    expect(other.status).toBe(400);
    expect(await other.json()).toBe("query is not supported");
  });

  it("answers the CORS preflight of /sql", async () => {
    const response = await fetch(endpoint.url, { method: "OPTIONS" });
    expect(response.status).toBe(200);
    expect(response.headers.get("allow")).toBe("OPTIONS, POST");
    expect(response.headers.get("access-control-allow-headers")).toContain("Neon-Connection-String");
  });

  it("takes a body with no JSON content type and answers JSON with CORS and request-id headers", async () => {
    const answer = await post('{"query":"select 1 as one"}', { "Content-Type": "text/plain" });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/json");
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("neon-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("is restartable on the same port, and close() is idempotent", async () => {
    const first = await startSqlOverHttpEndpoint({ port: 0 });
    await first.close();
    await first.close();
    const second = await startSqlOverHttpEndpoint({ port: first.port });
    try {
      expect(second.url).toBe(first.url);
      expect((await post({ query: "select 1" }, {}, second.url)).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});

describe("sql-over-http request errors", () => {
  it("answers the full error body with code '' when the connection string header is missing", async () => {
    const response = await fetch(endpoint.url, { method: "POST", body: '{"query":"select 1"}' });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe(
      JSON.stringify({
        message: "invalid header: neon-connection-string",
        code: "",
        detail: null,
        hint: null,
        position: null,
        internalPosition: null,
        internalQuery: null,
        severity: "",
        where: null,
        table: null,
        column: null,
        schema: null,
        dataType: null,
        constraint: null,
        file: null,
        line: null,
        routine: null,
      }),
    );
  });

  it("refuses bad connection strings with get_conn_info's messages, and non-loopback hosts", async () => {
    const url = new URL(databaseUrl);
    const cases: [string, string | RegExp][] = [
      [databaseUrl.replace(/^postgres(ql)?:/, "mysql:"), "incorrect scheme"],
      [`postgres://:pw@${url.host}/db`, "missing username"],
      [`postgres://user@${url.host}/db`, "missing authentication credentials: required password"],
      ["not a url", "invalid connection string: relative URL without a base"],
      [`postgres://user:pw@db.example.com:5432/db`, /^invalid hostname: db\.example\.com/],
    ];
    for (const [connectionString, message] of cases) {
      const answer = await post({ query: "select 1" }, { "Neon-Connection-String": connectionString });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(message);
    }
  });

  it("answers 400 to a body that is not JSON or matches neither payload shape", async () => {
    const garbage = await post("{not json");
    expect(garbage.status).toBe(400);
    expect(garbage.body.message).toMatch(/^could not parse the HTTP request body: /);
    for (const body of [{ sql: "select 1" }, { query: 1 }, { query: "select 1", params: null }, { queries: [{ query: 2 }] }]) {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toBe("could not parse the HTTP request body: data did not match any variant of untagged enum Payload");
    }
  });

  it("accepts serde's sequence form of a query, as the proxy's derived deserializer does", async () => {
    const answer = await post(["select $1::int as n", ["7"]], raw);
    expect(answer.status).toBe(200);
    expect(answer.body.rows).toEqual([{ n: "7" }]);
  });

  it("refuses an unknown isolation level with 400, even for a single query", async () => {
    const answer = await post({ query: "select 1" }, { "Neon-Batch-Isolation-Level": "serializable" });
    expect(answer).toMatchObject({ status: 400, body: { message: "invalid isolation level" } });
  });

  it("answers 413 to a body over 10 MiB", async () => {
    const answer = await post({ query: `select '${"x".repeat(10 * 1024 * 1024)}'` });
    expect(answer).toMatchObject({ status: 413, body: { message: "request is too large (max is 10485760 bytes)" } });
  });
});

describe("sql-over-http connection errors", () => {
  it("answers a wrong password as the proxy's own 400 password failure, without Postgres fields", async () => {
    const user = decodeURIComponent(new URL(databaseUrl).username);
    const wrong = withUrl(databaseUrl, (url) => {
      url.password = "wrong-password";
    });
    const answer = await post({ query: "select 1" }, { "Neon-Connection-String": wrong });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ message: `password authentication failed for user '${user}'`, code: "", severity: "" });
  });

  it("answers an unknown database with 400 and Postgres' 3D000 fields", async () => {
    const missing = withUrl(databaseUrl, (url) => {
      url.pathname = "/no_such_database_here";
    });
    const answer = await post({ query: "select 1" }, { "Neon-Connection-String": missing });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: "3D000", severity: "FATAL" });
  });

  it("answers 500 'Couldn't connect to compute node' when nothing listens on the port", async () => {
    const port = await closedPort();
    const closed = withUrl(databaseUrl, (url) => {
      url.port = String(port);
    });
    const answer = await post({ query: "select 1" }, { "Neon-Connection-String": closed });
    expect(answer).toMatchObject({ status: 500, body: { message: "Couldn't connect to compute node", code: "" } });
  });

  it("survives Postgres dropping a pooled connection, and opens a new one", async () => {
    const own = await startSqlOverHttpEndpoint({ port: 0 });
    const admin = await openClient(inject("adminDatabaseUrl"));
    try {
      const first = await postSql(own.url, databaseUrl, { query: "select pg_backend_pid() as pid" }, raw);
      const pid = (first.body.rows as { pid: string }[])[0]?.pid;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await admin.query("select pg_terminate_backend($1) as done", [pid])).rows).toEqual([{ done: true }]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await postSql(own.url, databaseUrl, { query: "select pg_backend_pid() as pid" }, raw);
      expect(second.status).toBe(200);
      expect((second.body.rows as { pid: string }[])[0]?.pid).not.toBe(pid);
    } finally {
      await admin.end();
      await own.close();
    }
  });
});
