import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { limitBody } from "../../src/core/body-limit";
import type { AppEnv } from "../../src/core/context";
import { errorHandler } from "../../src/core/error-handler";
import { databaseRefusal } from "../../src/db/errors";

// The middleware alone on a Hono app, fed Fetch Requests: every way a body can arrive.
const LIMIT = 16;
const WAIT_MS = 150;
const app = new Hono<AppEnv>()
  .use(limitBody(LIMIT, WAIT_MS))
  .all("/", async (c) => c.text(`read ${(await c.req.text()).length}`))
  .post("/unread", (c) => c.text("answered without reading"))
  .onError(errorHandler(databaseRefusal));

const streamOf = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of text.match(/.{1,5}/gs) ?? []) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });

/** Sends `text`, then neither more nor an end: a client that stopped sending. */
const stalledStreamOf = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
    },
  });

const post = (body: BodyInit, headers: Record<string, string> = {}, path = "/") =>
  app.request(path, { method: "POST", body, headers, ...(body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit);

describe("limitBody", () => {
  it("passes a GET through without reading anything", async () => {
    expect(await (await app.request("/")).text()).toBe("read 0");
  });

  it("takes a declared Content-Length at its word, at and over the limit", async () => {
    expect(await (await post("x".repeat(LIMIT), { "content-length": String(LIMIT) })).text()).toBe(`read ${LIMIT}`);
    const over = await post("x".repeat(LIMIT + 1), { "content-length": String(LIMIT + 1) });
    expect(over.status).toBe(413);
    expect(((await over.json()) as { code: string }).code).toBe("payload_too_large");
  });

  it("counts a body without Content-Length as it streams", async () => {
    expect(await (await post(streamOf("x".repeat(LIMIT)))).text()).toBe(`read ${LIMIT}`);
    expect((await post(streamOf("x".repeat(LIMIT + 1)))).status).toBe(413);
  });

  it("counts a chunked body even when it also declares a small Content-Length", async () => {
    const response = await post(streamOf("x".repeat(LIMIT * 2)), { "content-length": "1", "transfer-encoding": "chunked" });
    expect(response.status).toBe(413);
  });

  it("lets a bodiless POST through", async () => {
    expect(await (await app.request("/", { method: "POST" })).text()).toBe("read 0");
  });

  it("answers 408 request_timeout when a declared body stops short, before anything after it runs", async () => {
    const started = performance.now();
    const response = await post(stalledStreamOf("x".repeat(4)), { "content-length": String(LIMIT) }, "/unread");
    expect(response.status).toBe(408);
    expect(await response.json()).toMatchObject({ code: "request_timeout" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(WAIT_MS - 5);
  });

  it("answers 408 when a streamed body never ends", async () => {
    expect((await post(stalledStreamOf("x"), {}, "/unread")).status).toBe(408);
  });

  it("has read the whole body before the next handler answers, so no answer leaves it on the wire", async () => {
    let readToTheEnd = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("x".repeat(LIMIT)));
      },
      // Asked for only once the first chunk has been taken.
      pull(controller) {
        readToTheEnd = true;
        controller.close();
      },
    });
    const response = await post(body, { "content-length": String(LIMIT) }, "/unread");
    expect(await response.text()).toBe("answered without reading");
    expect(readToTheEnd).toBe(true);
  });
});
