import type pg from "pg";
import { databaseUrl } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/migrations";
import { withClient } from "../../scripts/lib/pg-client";

/**
 * The locales the service's databases come with: the embedded dev/test cluster's (`C`) and Neon's
 * default database's (`C.UTF-8`). Indexes on text behave differently in them (pg_trgm takes its
 * letters from the locale), so index-use tests run on both.
 */
export const databaseLocales = ["C", "C.UTF-8"] as const;

/** A fresh migrated database on the test server with this collation and character classes. */
export async function createDatabaseWithLocale(adminUrl: string, name: string, locale: (typeof databaseLocales)[number]) {
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

export interface SentStatement {
  text: string;
  values: unknown[];
}

/** Records every statement the pool's connections send (text and values), for the test to explain. */
export function recordStatements(pool: pg.Pool): SentStatement[] {
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
export async function indexesRead(url: string, statement: SentStatement): Promise<string[]> {
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
