import { sql } from "drizzle-orm";
import { char, check, index, integer, pgTable, text, varchar } from "drizzle-orm/pg-core";
import { resourceId, resourceStamps } from "../../db/resource-table";
import { folded } from "../../db/search";

/** A product's fields are these columns; products.ts adds what the API says of them. */
export const products = pgTable(
  "products",
  {
    ...resourceId(),
    name: varchar("name", { length: 200 }).notNull(),
    description: text("description"),
    priceCents: integer("price_cents").notNull(),
    currency: char("currency", { length: 3 }).notNull().default("USD"),
    sku: varchar("sku", { length: 64 }).notNull().unique("products_sku_unique"),
    ...resourceStamps(),
  },
  (table) => [
    // One index per list sort, with id as the keyset tie-breaker.
    index("products_created_at_id_idx").on(table.createdAt, table.id),
    index("products_name_id_idx").on(table.name, table.id),
    index("products_price_cents_id_idx").on(table.priceCents, table.id),
    // The currency filter with a price range reads one range of this index.
    index("products_currency_price_cents_idx").on(table.currency, table.priceCents),
    // `q` is a case-insensitive substring match of folded text: trigram indexes on the same expression serve it.
    index("products_name_folded_trgm_idx").using("gin", sql`${folded(table.name)} gin_trgm_ops`),
    index("products_sku_folded_trgm_idx").using("gin", sql`${folded(table.sku)} gin_trgm_ops`),
    check("products_price_cents_range", sql`${table.priceCents} >= 0`),
    check("products_version_positive", sql`${table.version} >= 1`),
  ],
);
