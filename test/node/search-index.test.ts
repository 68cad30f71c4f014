// `q` on products stays served by the trigram indexes on folded text (db/search.ts) after folding
// became Unicode-aware, on a database of each locale the service meets.
import { describe, expect, it } from "vitest";
import { productResource } from "../../src/modules/products/products";
import { databaseLocales, indexUseDatabase } from "../harness/query-plans";

const named = { latin: "Éclair au chocolat", greek: "Σοκολάτα γάλακτος", cyrillic: "Шоколадный торт" };

// pg_trgm takes its letters from the database's character classes: under `C` (the embedded cluster) only
// ASCII letters make trigrams, so a query with some is served by the index, and one with none (Greek or
// Cyrillic only) is still answered rightly, by reading every row. Under `C.UTF-8` (Neon's default) every
// script makes trigrams.
const servedQueries = {
  C: ["ÉCLAIR AU", "sku-123"],
  "C.UTF-8": ["ÉCLAIR AU", "ΣΟΚΟΛΆΤΑ", "шоколадный", "sku-123"],
} as const;

describe.each(databaseLocales)("products search on a %s database", (locale) => {
  const indexesReadBy = indexUseDatabase("search_index", locale, async (client) => {
    // Enough rows that reading them all costs more than the index: the planner's own choice is the proof.
    await client.query(
      `insert into products (id, name, price_cents, sku)
       select gen_random_uuid(), 'Widget ' || g || ' ' || md5(g::text), 100, 'SKU-' || g from generate_series(1, 5000) as g`,
    );
    for (const [key, value] of Object.entries(named))
      await client.query("insert into products (id, name, price_cents, sku) values (gen_random_uuid(), $1, 100, $2)", [
        value,
        `NAMED-${key}`,
      ]);
  });

  it.each(servedQueries[locale])("finds q=%s through both trigram indexes", async (q) => {
    const indexes = await indexesReadBy("products", async (db) =>
      expect((await productResource.repository(db).list({ q })).data.length).toBeGreaterThan(0),
    );
    expect(indexes).toEqual(expect.arrayContaining(["products_name_folded_trgm_idx", "products_sku_folded_trgm_idx"]));
  });
});
