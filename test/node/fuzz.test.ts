import { afterAll, inject } from "vitest";
import { createDatabase, dropDatabase } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/migrations";
import { openClient } from "../../scripts/lib/pg-client";
import { hashPassword } from "../../src/core/auth/password";
import { type DatabaseFingerprint, type FuzzTarget, fuzzContract, fuzzSettings } from "../contract/fuzz.contract";
import { createNodeTarget } from "./app-target";

// A database of its own: the fingerprint must see only this run's writes, and nothing the fuzzer
// creates can disturb another test. The seeded test users are copied in (same ids, so their tokens work).
const name = `fuzz_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
const url = await createDatabase(inject("adminDatabaseUrl"), name);
await applyMigrations(url);
{
  const client = await openClient(url);
  for (const user of Object.values(inject("testUsers"))) {
    await client.query("insert into users (id, email, role, password_hash) values ($1, $2, $3, $4)", [
      user.id,
      user.email,
      user.role,
      await hashPassword(user.password),
    ]);
  }
  await client.end();
}

const nodeTarget = createNodeTarget({ DATABASE_URL: url });

const fingerprint = `select
  (select count(*) || '/' || coalesce(max(updated_at)::text, '-') || '/' || coalesce(sum(version), 0) from products) as products,
  (select count(*) || '/' || coalesce(max(updated_at)::text, '-') || '/' || coalesce(sum(version), 0) from users) as users,
  (select count(*) || '/' || coalesce(max(expires_at)::text, '-') || '/' || coalesce(sum(status), 0) from idempotency_keys)
    as "idempotencyKeys"`;

const target: FuzzTarget = {
  ...nodeTarget,
  async snapshot() {
    const { rows } = await nodeTarget.database.pool.query<DatabaseFingerprint>(fingerprint);
    const [row] = rows;
    if (!row) throw new Error("no fingerprint row");
    return row;
  },
};

afterAll(async () => {
  await nodeTarget.database.close();
  await dropDatabase(inject("adminDatabaseUrl"), name);
});

fuzzContract(target, fuzzSettings(process.env, 150));
