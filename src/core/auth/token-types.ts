import type { Role } from "./roles";

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
