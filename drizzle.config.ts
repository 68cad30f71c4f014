import { defineConfig } from "drizzle-kit";

// `db:generate` needs no database; `db:migrate` uses scripts/migrate.ts with DATABASE_URL.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
  strict: true,
  verbose: false,
});
