import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { openClient } from "./pg-client";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** Applies every pending migration in `folder` (drizzle/ by default) to the database at `url` (idempotent). */
export async function applyMigrations(url: string, folder = MIGRATIONS_FOLDER): Promise<void> {
  const client = await openClient(url);
  try {
    // Migrations contain DDL that must not race the service's own statement_timeout settings.
    await client.query("set statement_timeout = 0");
    await migrate(drizzle({ client }), { migrationsFolder: folder });
  } finally {
    await client.end();
  }
}
