import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type JwtSettings, signAccessToken } from "../../core/auth/jwt";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../../core/auth/password";
import type { AppEnv } from "../../core/context";
import { ApiError } from "../../core/errors";
import type { RateLimiter } from "../../core/rate-limit";
import { validationHook } from "../../core/validation";
import { UserRepository } from "../users/users.repository";
import { token } from "./auth.routes";

export interface LoginGuards {
  /** Counts login attempts per account (normalised e-mail). */
  perAccount: RateLimiter;
  /** Counts login attempts per client address. */
  perAddress: RateLimiter;
  /** The client's address as this runtime knows it. */
  clientAddress: (c: Context<AppEnv>) => string;
}

const invalidCredentials = () =>
  new ApiError("unauthorized", "The e-mail or password is wrong.", { headers: { "WWW-Authenticate": 'Bearer realm="product-service"' } });

async function enforceLimits(guards: LoginGuards, account: string, address: string): Promise<void> {
  // Both counters advance on every attempt, so neither can be probed without spending the other.
  const [byAccount, byAddress] = await Promise.all([
    guards.perAccount.limit(`account:${account}`),
    guards.perAddress.limit(`address:${address}`),
  ]);
  const refused = [byAccount, byAddress].filter((result) => !result.allowed);
  if (refused.length === 0) return;
  const retryAfter = Math.max(...refused.map((result) => result.retryAfterSeconds));
  throw new ApiError("rate_limited", "Too many login attempts; try again later.", { headers: { "Retry-After": String(retryAfter) } });
}

export function authRouter(jwt: JwtSettings, guards: LoginGuards) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(token, async (c) => {
    const { username, password } = c.req.valid("form");
    const account = username.trim().toLowerCase();
    await enforceLimits(guards, account, guards.clientAddress(c));

    const repository = new UserRepository(c.get("db"));
    const user = await repository.findByEmail(account);
    if (!user) {
      // Same work as a wrong password, so response time does not reveal which e-mails exist.
      await verifyAgainstDummy(password);
      throw invalidCredentials();
    }
    const { valid, needsRehash } = await verifyPassword(password, user.passwordHash);
    if (!valid) throw invalidCredentials();
    if (needsRehash) {
      // Once per user after the parameters are raised. Inline, not after the response: a Workers
      // request's database pool closes when the response is sent.
      await hashPassword(password)
        .then((hash) => repository.rehash(user.id, hash))
        .catch((error: unknown) => c.get("logger").warn("password rehash failed", { error }));
    }
    const issued = await signAccessToken(jwt, { sub: user.id, role: user.role, email: user.email });
    c.header("Cache-Control", "no-store");
    return c.json({ access_token: issued.token, token_type: "bearer" as const, expires_in: issued.expiresIn }, 200);
  });
}
