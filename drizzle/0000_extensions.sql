-- Custom SQL migration (drizzle-kit generate --custom): extensions the schema relies on.
-- pg_trgm backs the trigram indexes that serve the case-insensitive `q` search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
