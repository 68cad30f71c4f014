import { SignJWT } from "jose";
import { hmacKey } from "./hmac-key";
import type { JwtSettings, TokenClaims } from "./token-types";

/** The one algorithm of the service's own tokens; verification pins it too. */
export const LOCAL_ALGORITHM = "HS256";

/** Signs an access token for one of our users; `now` is in milliseconds since the epoch (defaults to the clock). */
export async function signAccessToken(
  settings: JwtSettings,
  claims: TokenClaims,
  now: number = Date.now(),
): Promise<{ token: string; expiresIn: number }> {
  const issuedAt = Math.floor(now / 1000);
  const token = await new SignJWT({
    role: claims.role,
    ver: claims.authVersion,
    ...(claims.email === undefined ? {} : { email: claims.email }),
  })
    .setProtectedHeader({ alg: LOCAL_ALGORITHM, typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + settings.lifetimeSeconds)
    .setJti(crypto.randomUUID())
    .sign(await hmacKey(settings.secret));
  return { token, expiresIn: settings.lifetimeSeconds };
}
