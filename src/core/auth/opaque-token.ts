import { toBase64Url } from "../base64url";

/** 256 random bits: guessing one is hopeless, so a token needs no signature, only a lookup. */
const TOKEN_BYTES = 32;

/** A new opaque token (refresh tokens): 43 base64url characters. */
export const newOpaqueToken = (): string => toBase64Url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));

/**
 * What is stored instead of the token: its SHA-256, base64url. A fast hash is enough
 * (unlike a password) because the token is random; a leaked table yields no usable token.
 */
export async function opaqueTokenDigest(token: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token))));
}
