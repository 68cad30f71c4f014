import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabase, dropDatabase } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/migrations";
import { openClient } from "../../scripts/lib/pg-client";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const name = `seed_${Date.now().toString(36)}`;
let url: string;

beforeAll(async () => {
  url = await createDatabase(inject("adminDatabaseUrl"), name);
  await applyMigrations(url);
});
afterAll(() => dropDatabase(inject("adminDatabaseUrl"), name));

const seed = (env: Record<string, string>) =>
  run(path.join(root, "node_modules/.bin/tsx"), ["scripts/seed.ts"], { cwd: root, env: { ...process.env, ...env } });

async function admins(): Promise<{ email: string; password_hash: string }[]> {
  const client = await openClient(url);
  try {
    return (await client.query("select email, password_hash from users where role = 'admin'")).rows;
  } finally {
    await client.end();
  }
}

describe("npm run db:seed", () => {
  it("creates the first admin once, with a hashed password, and is idempotent", async () => {
    const env = { DATABASE_URL: url, SEED_ADMIN_EMAIL: "first@ops.example", SEED_ADMIN_PASSWORD: "a strong first password" };
    expect((await seed(env)).stdout).toMatch(/created admin first@ops.example/);
    expect((await seed({ ...env, SEED_ADMIN_EMAIL: "FIRST@ops.example" })).stdout).toMatch(/already exists/);
    const rows = await admins();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(rows[0]?.password_hash).not.toContain("a strong first password");
  }, 30_000);

  it("refuses a weak or missing password, naming the variable", async () => {
    await expect(seed({ DATABASE_URL: url, SEED_ADMIN_EMAIL: "weak@ops.example", SEED_ADMIN_PASSWORD: "short" })).rejects.toMatchObject({
      stderr: expect.stringMatching(/SEED_ADMIN_PASSWORD/),
    });
    await expect(seed({ DATABASE_URL: url, SEED_ADMIN_EMAIL: "none@ops.example", SEED_ADMIN_PASSWORD: "" })).rejects.toMatchObject({
      stderr: expect.stringMatching(/SEED_ADMIN_PASSWORD/),
    });
    expect((await admins()).map((row) => row.email)).not.toContain("weak@ops.example");
  }, 30_000);
});
