// npm run db:migrate: applies drizzle/ migrations to DATABASE_URL (Neon's direct URL or any Postgres).
import { applyMigrations } from "./lib/migrations";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: export the Postgres URL to migrate (for Neon, the direct, unpooled one).");
  process.exit(1);
}
const started = performance.now();
await applyMigrations(url);
console.log(`migrations applied in ${Math.round(performance.now() - started)} ms`);
