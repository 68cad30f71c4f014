import type { Context } from "hono";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../../core/auth/password";
import type { AppEnv } from "../../core/context";
import { ApiError } from "../../core/errors";
import { createRouter } from "../../core/router";
import { UserRepository } from "../users/users.repository";
import { revoke, token } from "./auth.routes";
import { accountKey, admitLogin, type LoginGuards } from "./login-guards";
import { issueTokenPair, refreshGrant, revokeTokenFamily, type TokenSettings } from "./token-pair";

export type { TokenSettings };

const invalidCredentials = () =>
  new ApiError("unauthorized", "The e-mail or password is wrong.", { headers: { "WWW-Authenticate": 'Bearer realm="product-service"' } });

export function authRouter(settings: TokenSettings, guards: LoginGuards) {
  return createRouter()
    .openapi(token, async (c) => {
      const request = c.req.valid("form");
      const pair =
        request.grant_type === "refresh_token"
          ? await refreshGrant(c, settings, request.refresh_token ?? "")
          : await passwordGrant(c, settings, guards, request.username ?? "", request.password ?? "");
      c.header("Cache-Control", "no-store");
      return c.json(pair, 200);
    })
    .openapi(revoke, async (c) => {
      // RFC 7009: the same 200 whether or not the token was known, so the endpoint reveals nothing.
      await revokeTokenFamily(c, c.req.valid("form").token);
      c.header("Cache-Control", "no-store");
      return c.body(null, 200);
    });
}

/** OAuth2 password grant: checks the password, then starts a refresh-token family. */
async function passwordGrant(c: Context<AppEnv>, settings: TokenSettings, guards: LoginGuards, username: string, password: string) {
  // Refused (429) before the password is checked; only a failure counts.
  const attempt = await admitLogin(guards, c, accountKey(username));

  const repository = new UserRepository(c.get("db"));
  const user = await repository.findByEmail(username);
  if (!user) {
    // Same work as a wrong password, so response time does not reveal which e-mails exist.
    await verifyAgainstDummy(password);
    attempt.failed();
    throw invalidCredentials();
  }
  const { valid, needsRehash } = await verifyPassword(password, user.passwordHash);
  if (!valid) {
    attempt.failed();
    throw invalidCredentials();
  }
  attempt.succeeded();
  if (needsRehash) {
    // Once per user after the parameters are raised, before answering: the login that noticed it
    // still succeeds if this fails.
    await hashPassword(password)
      .then((hash) => repository.rehash(user.id, hash))
      .catch((error: unknown) => c.get("logger").warn("password rehash failed", { error }));
  }
  return issueTokenPair(c, settings, user);
}
