import type { VerifiedPrincipal } from "./token-types";

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
export function verifiedTokenCache(now: () => number = () => Date.now()) {
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
