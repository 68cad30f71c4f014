import type { Context } from "hono";
import { type JwtSettings, signAccessToken } from "../../core/auth/jwt";
import { newOpaqueToken, opaqueTokenDigest } from "../../core/auth/opaque-token";
import type { Role } from "../../core/auth/roles";
import type { AppEnv } from "../../core/context";
import { ApiError } from "../../core/errors";
import { RefreshTokenRepository } from "./refresh-tokens.repository";

/** How the token endpoint issues tokens. */
export interface TokenSettings {
  jwt: JwtSettings;
  refreshLifetimeSeconds: number;
}

interface TokenUser {
  id: string;
  role: Role;
  email: string;
  authVersion: number;
}

/** RFC 6749 §5.2: a refresh token that cannot be used is `invalid_grant`, a 400; OAuth2 clients read `error`. */
const invalidGrant = () =>
  new ApiError("bad_request", "The refresh token is invalid, expired or revoked; sign in again.", {
    extensions: { error: "invalid_grant" },
  });

const refreshTokens = (c: Context<AppEnv>) => new RefreshTokenRepository(c.get("db"));

async function tokenResponse(settings: TokenSettings, user: TokenUser, refreshToken: string) {
  const access = await signAccessToken(settings.jwt, { sub: user.id, role: user.role, email: user.email, authVersion: user.authVersion });
  return { access_token: access.token, token_type: "bearer" as const, expires_in: access.expiresIn, refresh_token: refreshToken };
}

/** After a password login: a new refresh-token family and an access token, both under the user's current `auth_version`. */
export async function issueTokenPair(c: Context<AppEnv>, settings: TokenSettings, user: TokenUser) {
  const refreshToken = newOpaqueToken();
  await refreshTokens(c).start(user, await opaqueTokenDigest(refreshToken), settings.refreshLifetimeSeconds);
  return tokenResponse(settings, user, refreshToken);
}

/** OAuth2 refresh_token grant: one statement retires the token, stores its successor and reads the user's current role. */
export async function refreshGrant(c: Context<AppEnv>, settings: TokenSettings, presented: string) {
  const successor = newOpaqueToken();
  const [presentedDigest, successorDigest] = await Promise.all([opaqueTokenDigest(presented), opaqueTokenDigest(successor)]);
  const rotation = await refreshTokens(c).rotate(presentedDigest, successorDigest, settings.refreshLifetimeSeconds);
  if (rotation.outcome === "reused")
    c.get("logger").warn("retired refresh token presented: family revoked", { requestId: c.get("requestId") });
  if (rotation.outcome !== "rotated") throw invalidGrant();
  return tokenResponse(settings, rotation.user, successor);
}

/** RFC 7009 revocation of a refresh token's family; unknown tokens change nothing (the caller answers 200 either way). */
export async function revokeTokenFamily(c: Context<AppEnv>, token: string): Promise<void> {
  await refreshTokens(c).revokeFamily(await opaqueTokenDigest(token));
}
