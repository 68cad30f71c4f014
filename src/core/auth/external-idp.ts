import { createRemoteJWKSet, customFetch, type JWSAlgorithm, type JWTPayload, jwtVerify } from "jose";
import { isRole, type Role, roles } from "./roles";
import { type ExternalIdpSettings, InvalidTokenError } from "./token-types";

export const EXTERNAL_ALGORITHMS: JWSAlgorithm[] = ["RS256", "ES256", "PS256", "EdDSA"];

/**
 * Verifies tokens of an external OpenID Connect provider against its JWKS. Creating it does
 * no I/O; keys are fetched on first use, kept 10 min, refetched at most every 30 s for a new kid.
 */
export function externalVerifier(idp: ExternalIdpSettings, clockToleranceSeconds: number) {
  const keys = createRemoteJWKSet(new URL(idp.jwksUrl), {
    cacheMaxAge: 10 * 60 * 1000,
    cooldownDuration: 30 * 1000,
    ...(idp.fetch ? { [customFetch]: idp.fetch } : {}),
  });
  return async (token: string): Promise<{ payload: JWTPayload; role: Role }> => {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: EXTERNAL_ALGORITHMS,
      issuer: idp.issuer,
      audience: idp.audience,
      ...(idp.typ === undefined ? {} : { typ: idp.typ }),
      requiredClaims: ["sub", "exp"],
      clockTolerance: clockToleranceSeconds,
    });
    return { payload, role: externalRole(payload[idp.roleClaim]) };
  };
}

/** An absent claim means the IdP granted nothing special (viewer); a value we do not know is refused rather than guessed. */
function externalRole(claim: unknown): Role {
  if (claim === undefined) return "viewer";
  if (isRole(claim)) return claim;
  if (Array.isArray(claim)) {
    if (claim.length === 0) return "viewer";
    // Someone holding several roles gets the strongest, whatever order the IdP lists them in.
    const known = roles.filter((role) => claim.includes(role));
    const highest = known[known.length - 1];
    if (highest) return highest;
  }
  throw new InvalidTokenError("unknown_role");
}
