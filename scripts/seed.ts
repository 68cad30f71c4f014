// npm run db:seed: the first admin from SEED_ADMIN_EMAIL / SEED_ADMIN_PASSWORD (idempotent).
// `npm run db:seed -- --demo` also adds the demo products.
import { z } from "zod";
import { passwordPolicy } from "../src/core/auth/password-policy";
import { seedDemoProducts } from "./lib/demo-products";
import { seedUsers } from "./lib/seed-users";

const settings = z
  .object({
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"),
    SEED_ADMIN_EMAIL: z.email(),
    SEED_ADMIN_PASSWORD: passwordPolicy,
  })
  .safeParse(process.env);
if (!settings.success) {
  for (const issue of settings.error.issues) console.error(`${issue.path.join(".")}: ${issue.message}`);
  process.exit(1);
}
const { DATABASE_URL, SEED_ADMIN_EMAIL, SEED_ADMIN_PASSWORD } = settings.data;
const created = await seedUsers(DATABASE_URL, [{ email: SEED_ADMIN_EMAIL, password: SEED_ADMIN_PASSWORD, role: "admin" }]);
console.log(created ? `created admin ${SEED_ADMIN_EMAIL}` : `a user ${SEED_ADMIN_EMAIL} already exists; nothing changed`);
if (process.argv.includes("--demo")) console.log(`seeded ${await seedDemoProducts(DATABASE_URL)} demo product(s)`);
