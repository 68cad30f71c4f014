/**
 * The database of `npm run bench`: a throwaway database on an embedded Postgres
 * (or on DATABASE_URL's server), migrated, with 10,000 products and one user per role.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import type { Role } from "../../src/core/auth/roles";
import { uuidv7 } from "../../src/core/uuid";
import { createDatabase, dropDatabase, type RunningPostgres, startEmbeddedPostgres } from "./embedded-postgres";
import { applyMigrations } from "./migrations";
import { openClient } from "./pg-client";
import { type SeedUser, seedUsers } from "./seed-users";

export interface BenchDatabase {
  url: string;
  description: string;
  /** Product ids of the seeded set. */
  productIds: string[];
  users: Record<Role, SeedUser>;
  /** The embedded server's postmaster (its backends are its children); undefined for DATABASE_URL's server. */
  postgresPid: number | undefined;
  /** Drops the database and stops the embedded server, if this run started one. */
  close(): Promise<void>;
}

const CURRENCIES = ["USD", "EUR", "GBP"] as const;
const WORDS = ["Oak", "Steel", "Linen", "Copper", "Walnut", "Glass", "Wool", "Stone", "Cedar", "Brass", "Cotton", "Slate"];
const THINGS = ["Chair", "Lamp", "Table", "Mug", "Shelf", "Rug", "Clock", "Vase", "Desk", "Bench", "Stool", "Bowl"];

/** One INSERT of `count` rows (parameters are arrays, unnested by Postgres): one round trip, whatever the count. */
async function seedProducts(url: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  const names: string[] = [];
  const descriptions: (string | null)[] = [];
  const prices: number[] = [];
  const currencies: string[] = [];
  const skus: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(uuidv7());
    names.push(`${WORDS[i % WORDS.length]} ${THINGS[Math.floor(i / WORDS.length) % THINGS.length]} ${i}`);
    descriptions.push(i % 4 === 0 ? null : `Seeded by npm run bench (${i}).`);
    prices.push(100 + Math.floor(Math.random() * 99_901));
    currencies.push(CURRENCIES[i % CURRENCIES.length] ?? "USD");
    skus.push(`seed-${String(i).padStart(6, "0")}`);
  }
  const client = await openClient(url);
  try {
    await client.query(
      `insert into products (id, name, description, price_cents, currency, sku)
       select * from unnest($1::uuid[], $2::varchar[], $3::text[], $4::integer[], $5::char(3)[], $6::varchar[])`,
      [ids, names, descriptions, prices, currencies, skus],
    );
    // Fresh statistics, as autovacuum would have them on a table that has lived a while.
    await client.query("analyze products");
  } finally {
    await client.end();
  }
  return ids;
}

function benchUsers(): Record<Role, SeedUser> {
  const user = (role: Role): SeedUser => ({ email: `bench-${role}@example.com`, password: randomBytes(18).toString("base64url"), role });
  return { viewer: user("viewer"), editor: user("editor"), admin: user("admin") };
}

export async function prepareBenchDatabase(options: {
  /** A server to create the throwaway database on (its URL's database is only used to connect). */
  serverUrl: string | undefined;
  products: number;
  log: (line: string) => void;
}): Promise<BenchDatabase> {
  let server: RunningPostgres | undefined;
  let adminUrl = options.serverUrl;
  if (adminUrl === undefined) {
    // Under the system temp folder: as root, Postgres runs as another user who must reach it.
    const dataDir = path.join(os.tmpdir(), `product-service-bench-${process.pid}-${randomBytes(4).toString("hex")}`);
    server = await startEmbeddedPostgres({ dataDir, persistent: false });
    adminUrl = server.adminUrl;
  }
  const name = `bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const description = server ? `embedded Postgres (pid ${server.pid}), database ${name}` : `database ${name} on DATABASE_URL's server`;
  const admin = adminUrl;
  const close = async () => {
    await dropDatabase(admin, name).catch((error: unknown) => options.log(`bench: dropping ${name} failed: ${String(error)}`));
    await server?.stop();
  };
  try {
    const url = await createDatabase(admin, name);
    await applyMigrations(url);
    const started = performance.now();
    const productIds = await seedProducts(url, options.products);
    const users = benchUsers();
    await seedUsers(url, Object.values(users));
    options.log(
      `bench: ${description}: ${options.products} products and ${Object.keys(users).length} users in ${Math.round(performance.now() - started)} ms`,
    );
    return { url, description, productIds, users, postgresPid: server?.pid, close };
  } catch (error) {
    await close();
    throw error;
  }
}
