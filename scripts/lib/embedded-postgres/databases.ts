/** Databases on a running server: their URLs, creating and dropping them. */
import { withClient } from "../pg-client";
import { errorCode } from "./helpers";

function assertDatabaseName(name: string): void {
  // Conservative: names that need no URL encoding and fit in NAMEDATALEN.
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(name)) {
    throw new Error(`Invalid database name ${JSON.stringify(name)}`);
  }
}

/** URL of database `name` on the same server, with the same credentials. */
export function databaseUrl(adminUrl: string, name: string): string {
  assertDatabaseName(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Create database `name` (no error if it already exists, so dev scripts can
 * call it on every start) and return its URL.
 */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const url = databaseUrl(adminUrl, name);
  await withClient(adminUrl, async (client) => {
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } catch (error) {
      // 42P04 duplicate_database; 23505 when two sessions race on pg_database.
      const code = errorCode(error);
      if (code !== "42P04" && code !== "23505") throw error;
    }
  });
  return url;
}

/** Drop database `name` if it exists, disconnecting its sessions (`WITH (FORCE)`). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertDatabaseName(name);
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}
