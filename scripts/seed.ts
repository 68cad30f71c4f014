// npm run db:seed: demo products for local use (idempotent).
import { seedDemoProducts } from "./lib/demo-products";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set.");
  process.exit(1);
}
const inserted = await seedDemoProducts(url);
console.log(`seeded ${inserted} demo product(s)`);
