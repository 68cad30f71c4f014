import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabase, dropDatabase } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/migrations";
import { seedUsers } from "../../scripts/lib/seed-users";
import { signAccessToken } from "../../src/core/auth/jwt";
import { json, testJwtSettings } from "../contract/target";
import { createNodeTarget, type NodeTarget } from "./app-target";

// A database of its own: this test removes admins, which the shared test users must not suffer.
const name = `last_admin_${Date.now().toString(36)}`;
let target: NodeTarget;
let adminToken: string;
let adminId: string;

beforeAll(async () => {
  const url = await createDatabase(inject("adminDatabaseUrl"), name);
  await applyMigrations(url);
  await seedUsers(url, [{ email: "only-admin@test.example", password: "only admin password", role: "admin" }]);
  target = createNodeTarget({ DATABASE_URL: url });
  const me = await target.fetch("/api/v1/auth/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: "only-admin@test.example", password: "only admin password" }).toString(),
  });
  adminToken = ((await me.json()) as { access_token: string }).access_token;
  adminId = JSON.parse(atob(adminToken.split(".")[1] ?? "")).sub;
});

afterAll(async () => {
  await target?.database.close();
  await dropDatabase(inject("adminDatabaseUrl"), name);
});

const as = (token: string) => ({ authorization: `Bearer ${token}` });

describe("the last admin", () => {
  it("cannot be deleted or demoted (409), and stays admin", async () => {
    expect((await target.fetch(`/api/v1/users/${adminId}`, { method: "DELETE", headers: as(adminToken) })).status).toBe(409);
    expect((await target.fetch(`/api/v1/users/${adminId}`, json({ role: "editor" }, "PATCH", as(adminToken)))).status).toBe(409);
    const me = (await (await target.fetch("/api/v1/users/me", { headers: as(adminToken) })).json()) as { role: string };
    expect(me.role).toBe("admin");
  });

  it("of two admins demoting each other at once, exactly one succeeds", async () => {
    const second = await target.fetch(
      "/api/v1/users",
      json({ email: "second-admin@test.example", password: "second admin password", role: "admin" }, "POST", as(adminToken)),
    );
    expect(second.status).toBe(201);
    const secondId = ((await second.json()) as { id: string }).id;
    const secondToken = (await signAccessToken(testJwtSettings, { sub: secondId, role: "admin" })).token;
    const results = await Promise.all([
      target.fetch(`/api/v1/users/${secondId}`, json({ role: "viewer" }, "PATCH", as(adminToken))),
      target.fetch(`/api/v1/users/${adminId}`, json({ role: "viewer" }, "PATCH", as(secondToken))),
    ]);
    expect(results.map((response) => response.status).sort()).toEqual([200, 409]);
    const admins = (await (await target.fetch("/api/v1/users?role=admin", { headers: as(adminToken) })).json()) as { data: unknown[] };
    expect(admins.data).toHaveLength(1);
  });
});
