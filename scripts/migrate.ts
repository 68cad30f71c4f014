// npm run db:migrate (or `node dist/migrate.js` in the image): applies drizzle/ migrations to
// DATABASE_URL (Neon's direct URL or any Postgres).
import { fileURLToPath } from "node:url";
import { applyMigrations } from "./lib/migrations";

// Resolved from this file: scripts/migrate.ts and the bundled dist/migrate.js both sit next to drizzle/.
const MIGRATIONS = fileURLToPath(new URL("../drizzle", import.meta.url));

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: export the Postgres URL to migrate (for Neon, the direct, unpooled one).");
  process.exit(1);
}
const started = performance.now();
await applyMigrations(url, MIGRATIONS);
console.log(`migrations applied in ${Math.round(performance.now() - started)} ms`);
