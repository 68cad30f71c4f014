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

/** A second admin, created by the only one, and a token for it as the service would sign it. */
async function anotherAdmin(email: string) {
  const created = await target.fetch(
    "/api/v1/users",
    json({ email, password: "another admin password", role: "admin" }, "POST", as(adminToken)),
  );
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  return { id, token: (await signAccessToken(testJwtSettings, { sub: id, role: "admin", authVersion: 1 })).token };
}

describe("the last admin", () => {
  it("cannot be deleted or demoted (409), and stays admin", async () => {
    expect((await target.fetch(`/api/v1/users/${adminId}`, { method: "DELETE", headers: as(adminToken) })).status).toBe(409);
    expect((await target.fetch(`/api/v1/users/${adminId}`, json({ role: "editor" }, "PATCH", as(adminToken)))).status).toBe(409);
    const me = (await (await target.fetch("/api/v1/users/me", { headers: as(adminToken) })).json()) as { role: string };
    expect(me.role).toBe("admin");
  });

  it("of two admins demoting each other at once, exactly one succeeds", async () => {
    const { id: secondId, token: secondToken } = await anotherAdmin("second-admin@test.example");
    const results = await Promise.all([
      target.fetch(`/api/v1/users/${secondId}`, json({ role: "viewer" }, "PATCH", as(adminToken))),
      target.fetch(`/api/v1/users/${adminId}`, json({ role: "viewer" }, "PATCH", as(secondToken))),
    ]);
    // The loser waited for the winner's lock and found itself demoted: its token is stale (401), not merely outvoted (409).
    expect(results.map((response) => response.status).sort()).toEqual([200, 401]);
    const admins = (await (await target.fetch("/api/v1/users?role=admin", { headers: as(adminToken) })).json()) as { data: unknown[] };
    expect(admins.data).toHaveLength(1);
  });
});

describe("the stored role", () => {
  it("is what an admin operation checks: a role lowered outside the API gets 403 and changes nothing", async () => {
    const { id: loweredId, token: loweredToken } = await anotherAdmin("lowered-admin@test.example");
    // An operator's hand edit: the role changes, auth_version does not, so the token is not stale, only too weak.
    await target.database.pool.query("update users set role = 'editor' where id = $1", [loweredId]);
    const listed = await target.fetch("/api/v1/users", { headers: as(loweredToken) });
    expect(listed.status).toBe(403);
    expect(((await listed.json()) as { code: string }).code).toBe("forbidden");
    expect((await target.fetch(`/api/v1/users/${adminId}`, { method: "DELETE", headers: as(loweredToken) })).status).toBe(403);
    const admin = (await (await target.fetch(`/api/v1/users/${adminId}`, { headers: as(adminToken) })).json()) as { role: string };
    expect(admin.role).toBe("admin");
  });
});
