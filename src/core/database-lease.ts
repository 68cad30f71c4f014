import { createMiddleware } from "hono/factory";
import type { OpenDatabase } from "../db/database";
import type { AppEnv } from "./context";
import { ApiError } from "./errors";

/**
 * Puts the request's database on the context (`c.get("db")`), timed on the request's
 * query timer and stopped by its deadline. Without a database (no `DATABASE_URL`) every
 * request it guards is a 503 that says so, rather than a 500 from a handler.
 *
 * @example
 * app.use("/api/v1/*", databaseLease(openDatabase));
 */
export function databaseLease(openDatabase: OpenDatabase | undefined) {
  return createMiddleware<AppEnv>(async function openRequestDatabase(c, next) {
    if (!openDatabase) {
      throw new ApiError("service_unavailable", "No database is configured for this service.", { headers: { "Retry-After": "30" } });
    }
    c.set("db", openDatabase(c.get("queryTimer"), c.get("deadline")));
    await next();
  });
}
