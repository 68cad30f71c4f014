// db/prepared.ts on a table every service keeps (users): the helper stays when a service drops the
// products example (generate service --without-products), so its test must not need products.
import { eq, sql } from "drizzle-orm";
import { date, pgTable, uuid } from "drizzle-orm/pg-core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { rowStatement, rowStatementFamily } from "../../src/db/prepared";
import { users } from "../../src/modules/users/users.table";
import { createNodeTarget } from "./app-target";

// One pooled connection, so the session whose prepared statements we read is the one that ran them.
const target = createNodeTarget({ DB_POOL_MAX: "1" });
afterAll(() => target.database.close());
const db = () => target.database.db;

const executions = async (name: string) =>
  (
    await target.database.pool.query<{ executions: number }>(
      "select (generic_plans + custom_plans)::int as executions from pg_prepared_statements where name = $1",
      [name],
    )
  ).rows[0]?.executions ?? 0;

describe("prepared row statements (any table)", () => {
  it("build once, run by name with each call's values, and map whole rows", async () => {
    let builds = 0;
    const byId = rowStatement("test_users_by_id", users, (database) => {
      builds++;
      return database
        .select()
        .from(users)
        .where(eq(users.id, sql.placeholder("id")));
    });
    const { admin, viewer } = inject("testUsers");
    const [first] = await byId(db(), { id: admin.id });
    const [second] = await byId(db(), { id: viewer.id });
    expect(first).toMatchObject({ id: admin.id, email: admin.email, role: "admin", version: 1 });
    // Instants come as the API's text, the same instant Drizzle's own mapping gives as a Date.
    const [mappedByDrizzle] = await db().select().from(users).where(eq(users.id, admin.id));
    expect(first?.createdAt).toBe(mappedByDrizzle?.createdAt.toISOString());
    expect(second).toMatchObject({ id: viewer.id, role: "viewer" });
    expect(await byId(db(), { id: crypto.randomUUID() })).toEqual([]);
    expect(builds).toBe(1);
    expect(await executions("test_users_by_id")).toBe(3);
  });

  it("make one statement per shape of a family, and reuse it for that shape", async () => {
    const byRole = rowStatementFamily(
      "test_users_role",
      users,
      (role: "viewer" | "admin") => role,
      (database, role) =>
        database
          .select()
          .from(users)
          .where(sql`${users.role} = ${sql.raw(`'${role}'`)} and ${users.id} = ${sql.placeholder("id")}`),
    );
    const { admin } = inject("testUsers");
    expect(byRole("admin")).toBe(byRole("admin"));
    expect(byRole("viewer")).not.toBe(byRole("admin"));
    expect(await byRole("admin")(db(), { id: admin.id })).toHaveLength(1);
    expect(await byRole("viewer")(db(), { id: admin.id })).toEqual([]);
    expect(await executions("test_users_role_admin")).toBe(1);
    expect(await executions("test_users_role_viewer")).toBe(1);
  });

  it("refuses a name Postgres would cut short (63 bytes), which could alias another statement", () => {
    const build = () => rowStatement("é".repeat(32), users, (database) => database.select().from(users));
    expect(build).toThrow(/63 bytes/);
    expect(() => rowStatement("x".repeat(63), users, (database) => database.select().from(users))).not.toThrow();
  });

  it("give instants as the API's text in any session time zone", async () => {
    const byId = rowStatement("test_users_instants", users, (database) =>
      database
        .select()
        .from(users)
        .where(eq(users.id, sql.placeholder("id"))),
    );
    const { admin } = inject("testUsers");
    const [inUtc] = await byId(db(), { id: admin.id });
    expect(inUtc?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // The one pooled connection now writes timestamps as, e.g., "2026-11-25 14:34:03.12+05:30".
    await target.database.pool.query("set time zone 'Asia/Kolkata'");
    try {
      const [elsewhere] = await byId(db(), { id: admin.id });
      expect(elsewhere?.createdAt).toBe(inUtc?.createdAt);
    } finally {
      await target.database.pool.query("set time zone 'UTC'");
    }
  });

  it("refuse, when defined, a date column they cannot decode to the API's text", () => {
    const events = pgTable("events", { id: uuid("id").primaryKey(), day: date("day", { mode: "date" }) });
    expect(() => rowStatement("events_select", events, (database) => database.select().from(events))).toThrow(/day: .*not date/);
  });
});
