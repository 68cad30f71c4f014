import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type RunningServer, startServer } from "../../src/node/start-server";
import { tokenFor } from "../contract/target";
import { chunk, openRaw, type RawResponse } from "../harness/raw-http";

// The Node entry over real sockets: what a client meets on the wire when a request is refused
// before the app has it all (too large, stalled) or before the app sees it at all (unparseable).
const PUBLIC_URL = "https://api.example.test";
const MAX_BODY_BYTES = 1024;
const REQUEST_TIMEOUT_MS = 500;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    DATABASE_URL: inject("databaseUrl"),
    ENVIRONMENT: "test",
    PORT: "0",
    LOG_LEVEL: "silent",
    PUBLIC_URL,
    MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  });
});
afterAll(() => server.shutdown("test"));

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)),
  ]);

function expectProblem(response: RawResponse, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers["content-type"]).toBe("application/problem+json");
  const body = JSON.parse(response.body);
  expect(body).toMatchObject({
    type: `${PUBLIC_URL}/problems/${code}`,
    status,
    code,
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(body.requestId).toBe(response.headers["x-request-id"]);
  return body as { instance: string; detail: string };
}

const post = (path: string, headers: string) =>
  `POST ${path} HTTP/1.1\r\nHost: service.test\r\nContent-Type: application/json\r\n${headers}\r\n`;

describe("Node entry: an answer given before the body arrived in full closes the connection", () => {
  it("says Connection: close after refusing a chunked body as too large, and hangs up once it is sent", async () => {
    const connection = await openRaw(server.port);
    await connection.write(post("/api/v1/users", "Transfer-Encoding: chunked\r\n"));
    const piece = chunk("x".repeat(600));
    // Keeps streaming, as a client uploading a large body does, until the answer arrives.
    let answered = false;
    const streaming = (async () => {
      while (!answered) await connection.write(piece);
    })();
    const response = await connection.response();
    answered = true;
    await streaming;
    expectProblem(response, 413, "payload_too_large");
    expect(response.headers.connection).toBe("close");
    await within(connection.serverClosed, 2_000, "the server closing the connection");
  });

  it("a pooled client (fetch) whose streamed body was refused as too large can send its next request at once", async () => {
    // Half a megabyte, sent as fast as it goes: more than the adapter drains before giving up on the connection.
    const piece = new TextEncoder().encode("x".repeat(1_000));
    let pieces = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pieces++ < 500) controller.enqueue(piece);
        else controller.close();
      },
    });
    const refused = await fetch(`http://127.0.0.1:${server.port}/api/v1/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(refused.status).toBe(413);
    await refused.text();
    // Before: the answer said keep-alive, the pool sent this on the same connection, and the server had closed it ("other side closed").
    const next = await fetch(`http://127.0.0.1:${server.port}/health`);
    expect(next.status).toBe(200);
    expect(refused.headers.get("connection")).toBe("close");
  });

  it("says Connection: close after refusing a declared Content-Length as too large, without waiting for the body", async () => {
    const connection = await openRaw(server.port);
    await connection.write(post("/api/v1/users", `Content-Length: ${MAX_BODY_BYTES + 1}\r\n`));
    const response = await connection.response();
    expectProblem(response, 413, "payload_too_large");
    expect(response.headers.connection).toBe("close");
    await within(connection.serverClosed, 2_000, "the server closing the connection");
  });

  it("answers a body that stops short of its Content-Length with 408 request_timeout (a client fault, not a 503), and closes", async () => {
    const connection = await openRaw(server.port);
    const started = performance.now();
    // Authorised, so that before this was told apart it reached the handler and waited there until the budget's 503.
    const authorization = `Authorization: Bearer ${await tokenFor("admin")}\r\n`;
    await connection.write(`${post("/api/v1/users", `${authorization}Content-Length: 50\r\n`)}{"email":`);
    const response = await connection.response();
    const elapsed = performance.now() - started;
    const body = expectProblem(response, 408, "request_timeout");
    expect(body.instance).toBe("/api/v1/users");
    expect(response.headers["retry-after"]).toBeUndefined();
    expect(response.headers.connection).toBe("close");
    expect(elapsed).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 5);
    expect(elapsed).toBeLessThan(REQUEST_TIMEOUT_MS + 1_000);
    await within(connection.serverClosed, 3_000, "the server closing the connection");
  });

  it("answers a chunked body that never ends with 408 too", async () => {
    const connection = await openRaw(server.port);
    await connection.write(`${post("/api/v1/auth/token", "Transfer-Encoding: chunked\r\n")}${chunk("username=")}`);
    const response = await connection.response();
    expectProblem(response, 408, "request_timeout");
    expect(response.headers.connection).toBe("close");
  });

  it("keeps the connection when the body was read in full before the answer (a 401 on a POST)", async () => {
    const connection = await openRaw(server.port);
    const body = JSON.stringify({ email: "someone@test.example" });
    await connection.write(`${post("/api/v1/users", `Content-Length: ${body.length}\r\n`)}${body}`);
    const refused = await connection.response();
    expectProblem(refused, 401, "unauthorized");
    expect(refused.headers.connection).toBe("keep-alive");
    await connection.write("GET /health HTTP/1.1\r\nHost: service.test\r\n\r\n");
    expect((await connection.response()).status).toBe(200);
    connection.close();
  });
});

describe("Node entry: requests refused before they reach the app are problem+json, and the connection is closed", () => {
  const refusals: { name: string; request: string; status: number; code: string }[] = [
    {
      name: "header fields over 16 KB",
      request: `GET /api/v1/users HTTP/1.1\r\nHost: service.test\r\nX-Padding: ${"p".repeat(17_000)}\r\n\r\n`,
      status: 431,
      code: "headers_too_large",
    },
    {
      name: "a Content-Length that is not a number",
      request: `${post("/api/v1/users", "Content-Length: ten\r\n")}{}`,
      status: 400,
      code: "bad_request",
    },
    {
      name: "two different Content-Lengths",
      request: `${post("/api/v1/users", "Content-Length: 2\r\nContent-Length: 3\r\n")}{}`,
      status: 400,
      code: "bad_request",
    },
    {
      name: "Content-Length together with Transfer-Encoding",
      request: `${post("/api/v1/users", "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n")}${chunk("{}")}0\r\n\r\n`,
      status: 400,
      code: "bad_request",
    },
    { name: "HTTP/1.0 without Host", request: "GET /api/v1/ping HTTP/1.0\r\n\r\n", status: 400, code: "bad_request" },
    { name: "HTTP/1.1 without Host", request: "GET /api/v1/ping HTTP/1.1\r\n\r\n", status: 400, code: "bad_request" },
  ];

  it.each(refusals)("$name → $status $code", async ({ request, status, code }) => {
    const connection = await openRaw(server.port);
    await connection.write(request);
    const response = await connection.response();
    const body = expectProblem(response, status, code);
    expect(body.instance).toMatch(/^(\/api\/v1\/\w+|urn:uuid:[0-9a-f-]{36})$/);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers.connection).toBe("close");
    await within(connection.serverClosed, 3_000, "the server closing the connection");
  });
});
