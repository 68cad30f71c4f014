import type { Context } from "hono";
import type { AppEnv } from "../../core/context";
import { ApiError } from "../../core/errors";
import type { FailureBackoff, RateLimiter, Verdict } from "../../core/rate-limit";

/**
 * Login limits that a stranger cannot turn against a user. Only failures count, and the per-account limit
 * is keyed by account and client address: guessing from one address slows that address down (back-off,
 * capped), never the owner logging in from elsewhere. The per-address limit stops one address from
 * spraying many accounts. Both are in memory (per process or isolate) because they must be asked before
 * the password is checked and told afterwards; the Workers binding can only count, so it serves as `flood`.
 * Attempts admitted before a wait starts still finish; the password-hashing cap bounds how many run at once.
 */
export interface LoginGuards {
  /** Failed logins per account from one address. */
  perAccount: FailureBackoff;
  /** Failed logins per address, whatever the account. */
  perAddress: FailureBackoff;
  /** Optional cap on every attempt per address, shared by all instances (Workers' rate-limiting binding). */
  flood?: RateLimiter | undefined;
  /** The client's address as this runtime knows it. */
  clientAddress: (c: Context<AppEnv>) => string;
}

/** What the login handler reports once it knows whether the password was right. */
export interface LoginAttempt {
  failed(): void;
  succeeded(): void;
}

/**
 * The account a login names, folded as the database folds e-mails (`folded` in db/search.ts: Unicode lower
 * then upper case, then NFC), so `Ä@x`, `ä@x` and a decomposed `ä` share one back-off, as they share one user.
 */
export const accountKey = (username: string) => username.trim().toLowerCase().toUpperCase().normalize("NFC");

/**
 * Admits one login attempt or throws 429 with `Retry-After`. It runs before the password is verified: a
 * refusal that came after would tell a guesser which password was right (429 for wrong, 200 for right).
 */
export async function admitLogin(guards: LoginGuards, c: Context<AppEnv>, account: string): Promise<LoginAttempt> {
  const address = addressKey(guards.clientAddress(c));
  // JSON keeps the two parts apart whatever characters either holds.
  const pair = JSON.stringify([account, address]);
  refuseUnlessAllowed([guards.perAccount.check(pair), guards.perAddress.check(address)]);
  if (guards.flood) refuseUnlessAllowed([await guards.flood.limit(address)]);
  return {
    failed() {
      guards.perAccount.fail(pair);
      guards.perAddress.fail(address);
    },
    // The address keeps its failures: one good account must not launder a spray of bad ones.
    succeeded: () => guards.perAccount.clear(pair),
  };
}

/**
 * The unit limits count by. An IPv6 client usually holds a whole /64 (2^64 addresses), so per full address it
 * could try a new one each time: its /64 is what it cannot change cheaply. IPv4, including IPv4-mapped IPv6
 * (how a dual-stack Node socket reports an IPv4 peer), stays the whole address; anything unparsable as is.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  const halves = address.toLowerCase().split("::");
  if (halves.length > 2) return address;
  const [head = "", tail] = halves;
  const groups = head === "" ? [] : head.split(":");
  if (tail !== undefined) {
    const rest = tail === "" ? [] : tail.split(":");
    groups.push(...Array<string>(Math.max(0, 8 - groups.length - rest.length)).fill("0"), ...rest);
  }
  if (groups.length !== 8 || !groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return address;
  const network = groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16));
  return `${network.join(":")}::/64`;
}

function refuseUnlessAllowed(verdicts: Verdict[]): void {
  const refused = verdicts.filter((verdict) => !verdict.allowed);
  if (refused.length === 0) return;
  const retryAfter = Math.max(...refused.map((verdict) => verdict.retryAfterSeconds));
  throw new ApiError("rate_limited", "Too many failed logins; try again later.", { headers: { "Retry-After": String(retryAfter) } });
}
