import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";

/**
 * Puts the configured PUBLIC_URL on the context, where problem+json finds the base of its `type`s
 * (core/problem.ts). Undefined leaves them relative: the request's Host is never used, any client can set it.
 *
 * @example
 * app.use(publicUrl(config.PUBLIC_URL));
 */
export function publicUrl(url: string | undefined) {
  return createMiddleware<AppEnv>(async function setPublicUrl(c, next) {
    c.set("publicUrl", url);
    await next();
  });
}
