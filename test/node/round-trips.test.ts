import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import { json, productInput, uniqueTag } from "../contract/target";
import { createNodeTarget } from "./app-target";

// Round trips are the service's main cost at the edge: each product operation is one statement.
const target = createNodeTarget();
afterAll(() => target.database.close());

describe("database statements per request", () => {
  beforeEach(() => target.resetStatements());

  const measure = async (path: string, init?: RequestInit) => {
    target.resetStatements();
    const response = await target.fetch(path, init);
    return { status: response.status, statements: target.statements(), body: response.status === 204 ? null : await response.json() };
  };

  it("uses one statement for create, get, list, replace, patch and delete", async () => {
    const tag = uniqueTag();
    const created = await measure("/api/v1/products", json(productInput(tag)));
    expect(created).toMatchObject({ status: 201, statements: 1 });
    const id = (created.body as { id: string }).id;
    expect(await measure(`/api/v1/products/${id}`)).toMatchObject({ status: 200, statements: 1 });
    expect(await measure(`/api/v1/products?q=${tag}&sort=name&minPrice=1`)).toMatchObject({ status: 200, statements: 1 });
    expect(await measure(`/api/v1/products/${id}`, json(productInput(tag), "PUT", { "if-match": `"${id}.1"` }))).toMatchObject({
      status: 200,
      statements: 1,
    });
    expect(await measure(`/api/v1/products/${id}`, json({ priceCents: 7 }, "PATCH"))).toMatchObject({ status: 200, statements: 1 });
    expect(await measure(`/api/v1/products/${id}`, { method: "DELETE" })).toMatchObject({ status: 204, statements: 1 });
  });

  it("uses one statement for an idempotent create, and two for its replay", async () => {
    const tag = uniqueTag();
    const init = json(productInput(tag), "POST", { "idempotency-key": `rt-${tag}` });
    expect(await measure("/api/v1/products", init)).toMatchObject({ status: 201, statements: 1 });
    const replay = await measure("/api/v1/products", init);
    expect(replay).toMatchObject({ status: 201, statements: 2 });
  });

  it("uses two statements for a login (the user, its refresh family), one for a refresh, a revoke and ping", async () => {
    const { email, password } = inject("testUsers").viewer;
    const form = (fields: Record<string, string>) => ({
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { authorization: "" },
    });
    const login = await measure("/api/v1/auth/token", form({ grant_type: "password", username: email, password }));
    expect(login).toMatchObject({ status: 200, statements: 2 });
    const { refresh_token } = login.body as { refresh_token: string };
    const refreshed = await measure("/api/v1/auth/token", form({ grant_type: "refresh_token", refresh_token }));
    expect(refreshed).toMatchObject({ status: 200, statements: 1 });
    const next = (refreshed.body as { refresh_token: string }).refresh_token;
    const revoke = { ...form({ token: next }), method: "POST" };
    target.resetStatements();
    expect((await target.fetch("/api/v1/auth/revoke", revoke)).status).toBe(200);
    expect(target.statements()).toBe(1);
    expect(await measure("/api/v1/ping")).toMatchObject({ status: 200, statements: 1 });
  });

  it("checks an admin's stored role inside the one statement of each user operation", async () => {
    const tag = uniqueTag();
    const created = await measure(
      "/api/v1/users",
      json({ email: `${tag}@test.example`, password: "a long enough password", role: "viewer" }),
    );
    expect(created).toMatchObject({ status: 201, statements: 1 });
    const id = (created.body as { id: string }).id;
    expect(await measure(`/api/v1/users/${id}`)).toMatchObject({ status: 200, statements: 1 });
    expect(await measure(`/api/v1/users?q=${tag}`)).toMatchObject({ status: 200, statements: 1 });
    expect(await measure(`/api/v1/users/${id}`, json({ role: "editor" }, "PATCH"))).toMatchObject({ status: 200, statements: 1 });
    expect(await measure(`/api/v1/users/${id}`, { method: "DELETE" })).toMatchObject({ status: 204, statements: 1 });
  });

  it("uses no statement for input rejected by validation", async () => {
    expect(await measure("/api/v1/products", json({ name: "" }))).toMatchObject({ status: 422, statements: 0 });
    expect(await measure("/api/v1/products/not-a-uuid")).toMatchObject({ status: 422, statements: 0 });
  });
});
