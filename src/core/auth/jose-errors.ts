import { errors } from "jose";
import { InvalidTokenError, type InvalidTokenReason } from "./token-types";

/** Maps jose's errors onto our reasons; anything unrecognised becomes `fallback`, never jose's message. */
export const rethrowAs =
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
