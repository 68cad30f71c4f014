// Barrel of every table, read by drizzle-kit. Module code imports its own table file, never this one.

export * from "../modules/auth/refresh-tokens.table";
export * from "../modules/idempotency/idempotency.table";
export * from "../modules/products/products.table";
export * from "../modules/users/users.table";
