import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { InvalidTokenError, type VerifiedPrincipal } from "./jwt";
import { type Role, roleAtLeast } from "./roles";

export type TokenVerifier = (token: string) => Promise<VerifiedPrincipal>;

const REALM = 'Bearer realm="product-service"';

/** 401 with the RFC 6750 challenge; `error="invalid_token"` only when a token was presented. */
export function unauthorized(detail: string, invalidToken: boolean): ApiError {
  const challenge = invalidToken ? `${REALM}, error="invalid_token"` : REALM;
  return new ApiError("unauthorized", detail, { headers: { "WWW-Authenticate": challenge } });
}

export interface AuthenticateOptions {
  verify: TokenVerifier;
  /** Exact paths that need no token: where a client gets or gives up its tokens. */
  except?: readonly string[];
}

/**
 * Verifies `Authorization: Bearer <jwt>` and stores the principal, on every path but `except`.
 * The role travels in the signed token, so no database read happens here.
 *
 * @example
 * app.use("/api/v1/*", authenticate({ verify: createTokenVerifier(jwt), except: ["/api/v1/auth/token"] }));
 */
export function authenticate({ verify, except = [] }: AuthenticateOptions) {
  const publicPaths = new Set(except);
  return createMiddleware<AppEnv>(async function bearerToken(c, next) {
    if (publicPaths.has(c.req.path)) return next();
    const header = c.req.header("authorization");
    const match = header ? /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim()) : null;
    if (!match?.[1])
      throw unauthorized(header ? "The Authorization header is not a Bearer token." : "A bearer token is required.", header !== undefined);
    try {
      c.set("principal", await verify(match[1]));
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        c.get("logger").info("token rejected", { requestId: c.get("requestId"), reason: error.reason });
        throw unauthorized("The bearer token is invalid or expired.", true);
      }
      throw error;
    }
    await next();
  });
}

/** Route guard: the principal's role must be at least `role` (403 otherwise). */
export const requireRole = (role: Role) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!roleAtLeast(c.get("principal").role, role)) {
      throw new ApiError("forbidden", `This operation needs the ${role} role.`);
    }
    await next();
  });
