import { describe, expect, it } from "vitest";
import { createWorkerTarget } from "./worker-target";

// The Worker's own fetch handler in workerd, fed request bodies as a client's connection would
// deliver them. What workerd does on the wire itself (Connection, parse errors) is not the
// Worker's to say; see test/node/transport.test.ts for the Node entry, where the service says it.
const REQUEST_TIMEOUT_MS = 500;
const target = createWorkerTarget({ REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), MAX_BODY_BYTES: "1024" });
const encoder = new TextEncoder();

/** Delivers `text`, then neither more nor an end: a client that stopped sending. */
const stalled = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(text));
    },
  });

const postStream = (path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  target.fetch(path, { method: "POST", body, headers: { "content-type": "application/json", ...headers }, duplex: "half" } as RequestInit);

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(await response.json()).toMatchObject({ status, code, requestId: response.headers.get("x-request-id") });
}

describe("Workers entry: request bodies", () => {
  it("answers a body that stops short of its Content-Length with 408 request_timeout, not a 503 (a client fault)", async () => {
    const started = performance.now();
    const response = await postStream("/api/v1/users", stalled('{"email":'), { "content-length": "50" });
    const elapsed = performance.now() - started;
    await expectProblem(response, 408, "request_timeout");
    expect(response.headers.get("retry-after")).toBeNull();
    expect(elapsed).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 5);
    expect(elapsed).toBeLessThan(REQUEST_TIMEOUT_MS + 1_000);
  });

  it("answers a streamed body that never ends with 408 too", async () => {
    await expectProblem(await postStream("/api/v1/auth/token", stalled("username=")), 408, "request_timeout");
  });

  it("refuses a streamed body over the limit with 413 problem+json, and serves the next request", async () => {
    let pieces = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pieces++;
        controller.enqueue(encoder.encode("x".repeat(600)));
      },
    });
    await expectProblem(await postStream("/api/v1/users", endless), 413, "payload_too_large");
    // Counted as it arrived and refused on crossing the limit, not read to the end first.
    expect(pieces).toBeLessThan(10);
    expect((await target.fetch("/api/v1/users?limit=1")).status).toBe(200);
  });
});
