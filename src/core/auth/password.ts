import { toBase64Url } from "../base64url";
import { ApiError } from "../errors";

/**
 * PBKDF2-SHA256 iterations for new hashes. 100,000 is the most Cloudflare Workers' WebCrypto
 * accepts for PBKDF2 (it throws above that), so this is the strongest setting that runs everywhere.
 */
export const PASSWORD_ITERATIONS = 100_000;

const ALGORITHM = "pbkdf2-sha256";
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const encoder = new TextEncoder();

/** Derives `lengthBytes` bytes from a password with PBKDF2-SHA256 (WebCrypto, so Workers and Node alike). */
export async function derivePbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number, lengthBytes = KEY_BYTES) {
  // NFKC so the same password typed on different keyboards/OSes (composed vs decomposed accents) matches.
  const key = await crypto.subtle.importKey("raw", encoder.encode(password.normalize("NFKC")), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, lengthBytes * 8);
  return new Uint8Array(bits);
}

/**
 * PASSWORD_HASH_CONCURRENCY's default, in force until an entry sets the configured value. Twice Node's
 * thread pool (4), where WebCrypto's PBKDF2 runs: a burst of a few logins or user creations still gets
 * through, while a flood waits at most one extra round instead of queueing without end.
 */
export const DEFAULT_PASSWORD_HASH_CONCURRENCY = 8;

// One cap for the whole process (Node) or isolate (Workers), whichever app or route hashes: the CPU is shared.
let hashingCap = DEFAULT_PASSWORD_HASH_CONCURRENCY;
let hashing = 0;

/**
 * Sets how many password hashes may run at once (PASSWORD_HASH_CONCURRENCY); the entries call it once.
 * Past the cap a request gets 503 with `Retry-After` at once, rather than queueing behind the others: on
 * Node each waiting PBKDF2 also holds a slot in libuv's small thread pool, which DNS and file reads share.
 */
export function limitPasswordHashing(maxConcurrent: number): void {
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new RangeError("maxConcurrent must be a positive integer");
  hashingCap = maxConcurrent;
}

async function gated<T>(derive: () => Promise<T>): Promise<T> {
  if (hashing >= hashingCap) {
    throw new ApiError("service_unavailable", "Too many passwords are being checked right now; try again shortly.", {
      headers: { "Retry-After": "1" },
    });
  }
  hashing += 1;
  try {
    return await derive();
  } finally {
    hashing -= 1;
  }
}

/** Hashes a new password as `pbkdf2-sha256$<iterations>$<salt>$<hash>` (base64url), so parameters can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await gated(() => derivePbkdf2(password, salt, PASSWORD_ITERATIONS));
  return formatHash(PASSWORD_ITERATIONS, salt, hash);
}

/** Builds the stored string; exported so tests and migrations can produce hashes with other parameters. */
export const formatHash = (iterations: number, salt: Uint8Array, hash: Uint8Array) =>
  `${ALGORITHM}$${iterations}$${toBase64Url(salt)}$${toBase64Url(hash)}`;

/**
 * Checks a password against a stored hash. An unreadable hash is simply not valid; the only throw is
 * the 503 of a full hashing cap (see {@link limitPasswordHashing}).
 * `needsRehash` (only meaningful when valid) says the stored parameters are weaker than today's.
 */
export async function verifyPassword(password: string, stored: string): Promise<{ valid: boolean; needsRehash: boolean }> {
  const parsed = parseHash(stored);
  if (!parsed) return { valid: false, needsRehash: false };
  const actual = await gated(() => derivePbkdf2(password, parsed.salt, parsed.iterations, parsed.hash.length));
  const valid = constantTimeEqual(actual, parsed.hash);
  const weaker = parsed.iterations < PASSWORD_ITERATIONS || parsed.salt.length < SALT_BYTES || parsed.hash.length < KEY_BYTES;
  return { valid, needsRehash: valid && weaker };
}

// Any 32 bytes will do: nothing is meant to match it. Built from PASSWORD_ITERATIONS so its cost follows the setting.
const DUMMY_HASH = `${ALGORITHM}$${PASSWORD_ITERATIONS}$c2FsdC1mb3ItZHVtbXktaA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;

/** Spends one full-cost verification on nothing, so a login for an unknown e-mail takes as long as a wrong password. */
export async function verifyAgainstDummy(password: string): Promise<void> {
  await verifyPassword(password, DUMMY_HASH);
}

interface ParsedHash {
  iterations: number;
  salt: Uint8Array<ArrayBuffer>;
  hash: Uint8Array;
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split("$");
  if (parts.length !== 4) return undefined;
  const [algorithm, iterationsText = "", saltText = "", hashText = ""] = parts;
  if (algorithm !== ALGORITHM || !/^[1-9][0-9]{0,8}$/.test(iterationsText)) return undefined;
  const iterations = Number(iterationsText);
  // Above the cap Workers would throw; we never wrote such a hash, so it is not ours.
  if (iterations > PASSWORD_ITERATIONS) return undefined;
  const salt = fromBase64Url(saltText);
  const hash = fromBase64Url(hashText);
  if (!salt || !hash || salt.length < 8 || hash.length < 16 || hash.length > 64) return undefined;
  return { iterations, salt, hash };
}

/** Compares every byte whatever the differences, so timing does not reveal how much of a hash matched. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}
