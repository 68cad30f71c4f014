import {
  createRemoteJWKSet,
  customFetch,
  decodeProtectedHeader,
  errors,
  type JWSAlgorithm,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from "jose";
import { isRole, type Role, roles } from "./roles";

/** What the service puts in its own access tokens. */
export interface TokenClaims {
  sub: string;
  role: Role;
  /** The user's `auth_version` when the token was issued (claim `ver`): admin operations refuse a stale one. */
  authVersion: number;
  email?: string;
}

/** How the service signs and checks its own tokens (HS256 with a shared secret). */
export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
  lifetimeSeconds: number;
}

/** An external OpenID Connect provider whose RS/ES/PS/EdDSA tokens are also accepted. */
export interface ExternalIdpSettings {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Top-level claim holding the role: a string, or an array from which the highest known role wins. */
  roleClaim: string;
  /** Required `typ` header (e.g. `at+jwt`), where the IdP marks its access tokens: its ID tokens are refused. */
  typ?: string;
  /** For tests only: jose fetches the JWKS with the global fetch otherwise. */
  fetch?: typeof fetch;
}

/** Who a verified token speaks for. */
export interface VerifiedPrincipal {
  subject: string;
  role: Role;
  source: "local" | "external";
  /** Local tokens only: the user's `auth_version` the token was issued under. */
  authVersion?: number;
  /** External tokens only: their issuer, which namespaces `subject` wherever it is stored. */
  issuer?: string;
  email?: string;
}

export type InvalidTokenReason =
  | "malformed"
  | "algorithm_not_allowed"
  | "bad_signature"
  | "expired"
  | "not_yet_valid"
  | "wrong_issuer"
  | "wrong_audience"
  | "missing_claim"
  | "unknown_role"
  | "unknown_key"
  | "jwks_unavailable";

/** The only error a verifier throws; `reason` is safe to log, and the message carries nothing from the token. */
export class InvalidTokenError extends Error {
  override name = "InvalidTokenError";
  constructor(readonly reason: InvalidTokenReason) {
    super(`Invalid access token: ${reason}`);
  }
}

const LOCAL_ALGORITHM = "HS256";
const EXTERNAL_ALGORITHMS: JWSAlgorithm[] = ["RS256", "ES256", "PS256", "EdDSA"];
// Absorbs small clock differences between the issuer and this machine without extending tokens meaningfully.
const CLOCK_TOLERANCE_SECONDS = 5;
const encoder = new TextEncoder();

/**
 * The HMAC key of each secret, imported once per process or isolate for signing and verifying
 * alike: given the raw secret, jose would import it again for every token. A process knows one
 * or two secrets.
 */
const hmacKeys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    hmacKeys.set(secret, key);
  }
  return key;
}

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

/** A verification is remembered for at most this long (and never past the token's `exp`). */
const VERIFIED_TOKEN_TTL_MS = 5 * 60 * 1000;
/** Bound on remembered tokens; the oldest is forgotten first. ~0.5 KB each. */
const VERIFIED_TOKEN_ENTRIES = 10_000;

/**
 * Tokens that verified, by their exact text (signature included), until their `exp`.
 * A client sends the same token on every request for its whole lifetime; checking its
 * HMAC each time was the largest CPU cost of a request on Node (WebCrypto runs every
 * HMAC as a job on libuv's thread pool). Only a token that passed every check is
 * remembered, so a hit can only be the very token that passed; `exp` is honoured
 * without the clock tolerance, so a hit is never more lenient than a full check.
 */
function verifiedTokenCache(now: () => number = () => Date.now()) {
  const entries = new Map<string, { principal: VerifiedPrincipal; until: number }>();
  return {
    get(token: string): VerifiedPrincipal | undefined {
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      if (entry.until > now()) return entry.principal;
      entries.delete(token);
      return undefined;
    },
    remember(token: string, principal: VerifiedPrincipal, expiresAtSeconds: number | undefined): void {
      if (expiresAtSeconds === undefined) return;
      const until = Math.min(expiresAtSeconds * 1000, now() + VERIFIED_TOKEN_TTL_MS);
      if (until <= now()) return;
      if (entries.size >= VERIFIED_TOKEN_ENTRIES) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(token, { principal: Object.freeze(principal), until });
    },
  };
}

/**
 * Builds the function that turns a bearer token into a principal or throws `InvalidTokenError`.
 * Create it once per process/isolate, not per request: the external JWKS cache, the imported
 * HMAC key and the verified-token cache live inside it.
 */
export function createTokenVerifier(settings: JwtSettings, external?: ExternalIdpSettings): (token: string) => Promise<VerifiedPrincipal> {
  const verified = verifiedTokenCache();
  // Creating the set does no I/O; keys are fetched on first use, kept 10 min, refetched at most every 30 s for a new kid.
  const jwks =
    external &&
    createRemoteJWKSet(new URL(external.jwksUrl), {
      cacheMaxAge: 10 * 60 * 1000,
      cooldownDuration: 30 * 1000,
      ...(external.fetch ? { [customFetch]: external.fetch } : {}),
    });

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

  async function verifyExternal(token: string, idp: ExternalIdpSettings, keys: NonNullable<typeof jwks>): Promise<Verified> {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: EXTERNAL_ALGORITHMS,
      issuer: idp.issuer,
      audience: idp.audience,
      ...(idp.typ === undefined ? {} : { typ: idp.typ }),
      requiredClaims: ["sub", "exp"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    const role = externalRole(payload[idp.roleClaim]);
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
    if (external && jwks && EXTERNAL_ALGORITHMS.some((allowed) => allowed === algorithm)) {
      return verifyExternal(token, external, jwks).catch(rethrowAs("jwks_unavailable"));
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

/** Maps jose's errors onto our reasons; anything unrecognised becomes `fallback`, never jose's message. */
const rethrowAs =
  (fallback: InvalidTokenReason) =>
  (error: unknown): never => {
    throw new InvalidTokenError(reasonFor(error, fallback));
  };

function reasonFor(error: unknown, fallback: InvalidTokenReason): InvalidTokenReason {
  if (error instanceof InvalidTokenError) return error.reason;
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === "missing") return "missing_claim";
    if (error.claim === "iss") return "wrong_issuer";
    if (error.claim === "aud") return "wrong_audience";
    if (error.claim === "nbf") return "not_yet_valid";
    return "malformed";
  }
  if (!(error instanceof errors.JOSEError)) return fallback;
  switch (error.code) {
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return "bad_signature";
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return "algorithm_not_allowed";
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return "unknown_key";
    case "ERR_JWKS_TIMEOUT":
    case "ERR_JWKS_INVALID":
    case "ERR_JOSE_GENERIC":
      return "jwks_unavailable";
    default:
      return "malformed";
  }
}
