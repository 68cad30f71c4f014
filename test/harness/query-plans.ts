import type pg from "pg";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { databaseUrl, dropDatabase } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/migrations";
import { withClient } from "../../scripts/lib/pg-client";
import type { Database } from "../../src/db/database";
import { createNodeTarget, type NodeTarget } from "../node/app-target";

/**
 * The locales the service's databases come with: the embedded dev/test cluster's (`C`) and Neon's
 * default database's (`C.UTF-8`). Indexes on text behave differently in them (pg_trgm takes its
 * letters from the locale), so index-use tests run on both.
 */
export const databaseLocales = ["C", "C.UTF-8"] as const;
type DatabaseLocale = (typeof databaseLocales)[number];

/** A fresh migrated database on the test server with this collation and character classes. */
async function createDatabaseWithLocale(adminUrl: string, name: string, locale: DatabaseLocale) {
  await withClient(adminUrl, (client) =>
    // template0: the only template a database with another locale may copy.
    client.query(
      `CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE '${locale}' LC_CTYPE '${locale}'`,
    ),
  );
  const url = databaseUrl(adminUrl, name);
  await applyMigrations(url);
  return url;
}

interface SentStatement {
  text: string;
  values: unknown[];
}

/** Records every statement the pool's connections send (text and values), for the test to explain. */
function recordStatements(pool: pg.Pool): SentStatement[] {
  const sent: SentStatement[] = [];
  pool.on("connect", (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [first, second] = args;
      // query(text, values) or query(config, values): Drizzle's prepared statements pass their values apart.
      const config = typeof first === "string" ? { text: first } : (first as { text?: unknown; values?: unknown });
      const values = Array.isArray(second) ? second : Array.isArray(config.values) ? config.values : [];
      if (typeof config.text === "string") sent.push({ text: config.text, values });
      return original(...args);
    };
  });
  return sent;
}

/** The names of the indexes Postgres would read to run the statement with these values (asked in a session of its own). */
async function indexesRead(url: string, statement: SentStatement): Promise<string[]> {
  const { rows } = await withClient(url, (client) =>
    client.query<{ "QUERY PLAN": unknown }>({ text: `explain (format json) ${statement.text}`, values: statement.values }),
  );
  const names: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === "object")
      for (const [key, value] of Object.entries(node)) {
        if (key === "Index Name" && typeof value === "string") names.push(value);
        else visit(value);
      }
  };
  visit(rows[0]?.["QUERY PLAN"]);
  return names;
}

/**
 * For a describe block: a throwaway database of `locale` seeded by `seed`, and a way to ask which
 * indexes a repository call's statement reads there. Registers its own setup and teardown.
 */
export function indexUseDatabase(prefix: string, locale: DatabaseLocale, seed: (client: pg.Client) => Promise<void>) {
  const name = `${prefix}_${locale === "C" ? "c" : "c_utf8"}_${Date.now().toString(36)}`;
  let url: string;
  let target: NodeTarget;
  let sent: SentStatement[];

  beforeAll(async () => {
    url = await createDatabaseWithLocale(inject("adminDatabaseUrl"), name, locale);
    await withClient(url, async (client) => {
      await seed(client);
      // VACUUM moves the new rows from GIN's pending list into the index proper, as autovacuum would.
      await client.query("vacuum analyze");
    });
    target = createNodeTarget({ DATABASE_URL: url });
    sent = recordStatements(target.database.pool);
  });

  afterAll(async () => {
    await target?.database.close();
    await dropDatabase(inject("adminDatabaseUrl"), name);
  });

  /** Runs `call` and names the indexes its statement on `table` reads, as the planner chooses with its values. */
  return async (table: string, call: (db: Database) => Promise<unknown>): Promise<string[]> => {
    sent.length = 0;
    await call(target.database.db);
    const [statement] = sent.filter((each) => each.text.includes(`from "${table}"`));
    expect(statement).toBeDefined();
    return indexesRead(url, statement as SentStatement);
  };
}
