DROP INDEX "products_name_trgm_idx";--> statement-breakpoint
DROP INDEX "products_sku_trgm_idx";--> statement-breakpoint
DROP INDEX "users_email_lower_unique";--> statement-breakpoint
CREATE INDEX "products_name_folded_trgm_idx" ON "products" USING gin (normalize(upper(lower("name"::text collate "und-x-icu")), NFC) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "products_sku_folded_trgm_idx" ON "products" USING gin (normalize(upper(lower("sku"::text collate "und-x-icu")), NFC) gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_folded_unique" ON "users" USING btree (normalize(upper(lower("email"::text collate "und-x-icu")), NFC));--> statement-breakpoint
CREATE INDEX "users_email_folded_trgm_idx" ON "users" USING gin (normalize(upper(lower("email"::text collate "und-x-icu")), NFC) gin_trgm_ops);