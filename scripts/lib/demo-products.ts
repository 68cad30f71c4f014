import { uuidv7 } from "../../src/core/uuid";
import { openClient } from "./pg-client";

const demoProducts = [
  { name: "Espresso cup", description: "Porcelain, 90 ml.", priceCents: 1299, currency: "EUR", sku: "DEMO-CUP-ESP" },
  { name: "Pour-over kettle", description: "Gooseneck, 1 l, stainless steel.", priceCents: 5900, currency: "USD", sku: "DEMO-KETTLE-1L" },
  { name: "Burr grinder", description: null, priceCents: 18900, currency: "USD", sku: "DEMO-GRINDER" },
  { name: "Paper filters (100)", description: "Size 02.", priceCents: 650, currency: "USD", sku: "DEMO-FILTER-02" },
  { name: "Travel mug", description: "Keeps it hot for 6 hours.", priceCents: 2450, currency: "GBP", sku: "DEMO-MUG-TRAVEL" },
];

/** Inserts a handful of demo products once; re-running changes nothing (keyed by sku). */
export async function seedDemoProducts(url: string): Promise<number> {
  const client = await openClient(url);
  try {
    let inserted = 0;
    for (const product of demoProducts) {
      const result = await client.query(
        `insert into products (id, name, description, price_cents, currency, sku)
         values ($1, $2, $3, $4, $5, $6) on conflict (sku) do nothing`,
        [uuidv7(), product.name, product.description, product.priceCents, product.currency, product.sku],
      );
      inserted += result.rowCount ?? 0;
    }
    return inserted;
  } finally {
    await client.end();
  }
}
