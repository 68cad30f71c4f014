import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeClientAddress } from "../../src/node/client-address";

// A real socket, because the address without proxies is the TCP peer.
const app = new Hono();
app.get("/:hops", (c) => c.text(nodeClientAddress(Number(c.req.param("hops")))(c)));
let server: ReturnType<typeof serve>;
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const addressFor = async (hops: number, forwardedFor?: string) =>
  (await fetch(`${base}/${hops}`, { headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} })).text();

describe("client address on Node", () => {
  it("is the socket peer when no proxy is trusted, whatever X-Forwarded-For says", async () => {
    expect(await addressFor(0, "203.0.113.9")).toMatch(/127\.0\.0\.1$/);
  });

  it("is the entry the trusted proxies appended, not one the client forged", async () => {
    expect(await addressFor(1, "6.6.6.6, 203.0.113.9")).toBe("203.0.113.9");
    expect(await addressFor(2, "6.6.6.6, 203.0.113.9, 10.0.0.2")).toBe("203.0.113.9");
  });

  it("falls back to the peer when the header is missing or too short", async () => {
    expect(await addressFor(1)).toMatch(/127\.0\.0\.1$/);
    expect(await addressFor(3, "203.0.113.9")).toMatch(/127\.0\.0\.1$/);
  });
});
