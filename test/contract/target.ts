import { inject } from "vitest";
import type { Client } from "../../src/client";
import { DEVELOPMENT_JWT_SECRET } from "../../src/config";
import { signAccessToken } from "../../src/core/auth/jwt";
import type { Role } from "../../src/core/auth/roles";
import { checkedAgainstDocument } from "./openapi-check";

export type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

/** One way of running the service under test: the Worker in workerd, the app on Node, or the built Node server over HTTP. */
export interface ContractTarget {
  runtime: "workers" | "node" | "node-dist";
  /** Sends a request as the admin test user (unless it sets Authorization); relative URLs resolve against http://service.test. */
  fetch: Fetch;
  /** Sends a request as the given role's test user, or with no credentials at all. */
  as(who: Role | "anonymous"): Fetch;
  /** The typed client over the same fetch (as admin). */
  client: Client;
}

export const BASE_URL = "http://service.test";

/** The settings the service under test runs with (ENVIRONMENT=test: the development secret and default issuer/audience). */
export const testJwtSettings = {
  secret: DEVELOPMENT_JWT_SECRET,
  issuer: "product-service",
  audience: "product-service",
  lifetimeSeconds: 3600,
};

const tokens = new Map<Role, Promise<string>>();

/** A token for the seeded test user of this role, signed as the service signs its own. */
export function tokenFor(role: Role): Promise<string> {
  let token = tokens.get(role);
  if (!token) {
    const user = inject("testUsers")[role];
    token = signAccessToken(testJwtSettings, { sub: user.id, role, email: user.email, authVersion: 1 }).then((issued) => issued.token);
    tokens.set(role, token);
  }
  return token;
}

/**
 * Wraps a raw sender so every request carries the role's bearer token unless it brings its own Authorization,
 * and every response is checked against the OpenAPI document (openapi-check.ts): every target is made here.
 */
export function authorised(sendRaw: (request: Request) => Promise<Response>) {
  const send = checkedAgainstDocument(sendRaw);
  const as =
    (who: Role | "anonymous"): Fetch =>
    async (path, init) => {
      const request = new Request(new URL(path, BASE_URL), init);
      if (who !== "anonymous" && !request.headers.has("authorization"))
        request.headers.set("authorization", `Bearer ${await tokenFor(who)}`);
      return send(request);
    };
  const clientFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    request.headers.set("authorization", `Bearer ${await tokenFor("admin")}`);
    return send(request);
  };
  return { as, fetch: as("admin"), clientFetch };
}

/** A short random tag: every test makes its own data and filters on it. */
export const uniqueTag = () => `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/**
 * A user to create with `POST /api/v1/users` (admin). Users are the resource every service keeps
 * (`generate service --without-products` leaves them), so the suites of shared machinery (errors,
 * idempotency, budgets, outages, logs, metrics) use them and survive the example's removal.
 */
export function userInput(tag: string, overrides: Record<string, unknown> = {}) {
  return { email: `${tag}@test.example`, password: "a long enough password", role: "viewer", ...overrides };
}

/** How many users the admin can find whose e-mail contains `tag`. */
export async function countUsers(target: ContractTarget, tag: string): Promise<number> {
  const response = await target.fetch(`/api/v1/users?q=${encodeURIComponent(tag)}&limit=100`);
  if (response.status !== 200) throw new Error(`listing users answered ${response.status}`);
  return ((await response.json()) as { data: unknown[] }).data.length;
}

export function productInput(tag: string, overrides: Record<string, unknown> = {}) {
  return { name: `Widget ${tag}`, priceCents: 1000, sku: `SKU-${tag}`, ...overrides };
}

/**
 * A form-encoded POST (the token and revoke endpoints), from a fresh documentation address unless one is
 * given: login limits count per address, so tests never meet one another's.
 */
export const form = (fields: Record<string, string>, address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": address },
  body: new URLSearchParams(fields).toString(),
});

export const json = (body: unknown, method = "POST", headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});
