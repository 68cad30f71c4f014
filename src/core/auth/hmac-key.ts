const encoder = new TextEncoder();

/**
 * The HMAC key of each secret, imported once per process or isolate for signing and verifying
 * alike: given the raw secret, jose would import it again for every token. A process knows one
 * or two secrets.
 */
const hmacKeys = new Map<string, Promise<CryptoKey>>();
export function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    hmacKeys.set(secret, key);
  }
  return key;
}
