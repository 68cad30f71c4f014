import { decodeProtectedHeader, type JWTPayload, jwtVerify } from "jose";
import { EXTERNAL_ALGORITHMS, externalVerifier } from "./external-idp";
import { hmacKey } from "./hmac-key";
import { rethrowAs } from "./jose-errors";
import { isRole, type Role } from "./roles";
import { LOCAL_ALGORITHM } from "./sign-access-token";
import { type ExternalIdpSettings, InvalidTokenError, type JwtSettings, type VerifiedPrincipal } from "./token-types";
import { verifiedTokenCache } from "./verified-token-cache";

export { signAccessToken } from "./sign-access-token";
export * from "./token-types";

// Absorbs small clock differences between the issuer and this machine without extending tokens meaningfully.
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Builds the function that turns a bearer token into a principal or throws `InvalidTokenError`.
 * Create it once per process/isolate, not per request: the external JWKS cache, the imported
 * HMAC key and the verified-token cache live inside it.
 */
export function createTokenVerifier(settings: JwtSettings, external?: ExternalIdpSettings): (token: string) => Promise<VerifiedPrincipal> {
  const verified = verifiedTokenCache();
  const verifyWithIdp = external && externalVerifier(external, CLOCK_TOLERANCE_SECONDS);

  async function verifyLocal(token: string): Promise<Verified> {
    const { payload } = await jwtVerify(token, await hmacKey(settings.secret), {
      algorithms: [LOCAL_ALGORITHM],
      typ: "JWT",
      issuer: settings.issuer,
      audience: settings.audience,
      requiredClaims: ["sub", "role", "ver", "exp", "iat", "jti"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    if (typeof payload.jti !== "string" || payload.jti === "") throw new InvalidTokenError("malformed");
    if (!isRole(payload.role)) throw new InvalidTokenError("unknown_role");
    const authVersion = payload.ver;
    if (typeof authVersion !== "number" || !Number.isSafeInteger(authVersion)) throw new InvalidTokenError("malformed");
    return { principal: { ...principal(payload, payload.role, "local"), authVersion }, expiresAt: payload.exp };
  }

  async function verifyExternal(token: string, idp: ExternalIdpSettings, verify: NonNullable<typeof verifyWithIdp>): Promise<Verified> {
    const { payload, role } = await verify(token);
    return { principal: { ...principal(payload, role, "external"), issuer: idp.issuer }, expiresAt: payload.exp };
  }

  async function verifyFully(token: string): Promise<Verified> {
    let algorithm: unknown;
    try {
      algorithm = decodeProtectedHeader(token).alg;
    } catch {
      throw new InvalidTokenError("malformed");
    }
    // The header only chooses which pinned path to try; each path still pins its own algorithms in jwtVerify.
    if (algorithm === LOCAL_ALGORITHM) return verifyLocal(token).catch(rethrowAs("malformed"));
    if (external && verifyWithIdp && EXTERNAL_ALGORITHMS.some((allowed) => allowed === algorithm)) {
      return verifyExternal(token, external, verifyWithIdp).catch(rethrowAs("jwks_unavailable"));
    }
    throw new InvalidTokenError("algorithm_not_allowed");
  }

  return async (token) => {
    const remembered = verified.get(token);
    if (remembered) return remembered;
    const { principal, expiresAt } = await verifyFully(token);
    verified.remember(token, principal, expiresAt);
    return principal;
  };
}

interface Verified {
  principal: VerifiedPrincipal;
  /** The token's `exp` (seconds since the epoch). */
  expiresAt: number | undefined;
}

function principal(payload: JWTPayload, role: Role, source: VerifiedPrincipal["source"]): VerifiedPrincipal {
  if (typeof payload.sub !== "string" || payload.sub === "") throw new InvalidTokenError("malformed");
  const email = payload.email;
  return { subject: payload.sub, role, source, ...(typeof email === "string" ? { email } : {}) };
}
