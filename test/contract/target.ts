import type { Client } from "../../src/client";

/** One way of running the service under test: the Worker in workerd, or the app on Node. */
export interface ContractTarget {
  runtime: "workers" | "node";
  /** Sends a request to the service; relative URLs resolve against http://service.test. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The typed client over the same fetch. */
  client: Client;
}

export const BASE_URL = "http://service.test";

/** A short random tag: every test makes its own data and filters on it. */
export const uniqueTag = () => `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export function productInput(tag: string, overrides: Record<string, unknown> = {}) {
  return { name: `Widget ${tag}`, priceCents: 1000, sku: `SKU-${tag}`, ...overrides };
}

export const json = (body: unknown, method = "POST", headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});
