import { z } from "@hono/zod-openapi";
import { COMMON_PASSWORDS } from "./common-passwords";

export const PASSWORD_MIN_LENGTH = 12;

/** The form passwords are compared in: the same NFKC the hash uses, and case folded. */
const canonical = (password: string) => password.normalize("NFKC").toLowerCase();

let common: Set<string> | undefined;

/** True for a password on the bundled list of common ones (see common-passwords.ts), whatever its case. */
export function isCommonPassword(password: string): boolean {
  // Built on first use, so a Worker that never creates a user never pays for it at start-up.
  common ??= new Set(COMMON_PASSWORDS.split("\n"));
  return common.has(canonical(password));
}

/**
 * True for trivial patterns no list can hold them all of: one short unit repeated
 * (`aaaaaaaaaaaa`, `abcabcabcabc`, `hello1hello1`) or a straight run (`abcdefghijkl`, `987654321098`).
 */
export function isTrivialPattern(password: string): boolean {
  const chars = Array.from(canonical(password), (char) => char.codePointAt(0) ?? 0);
  return repeatsAUnit(chars) || isStraightRun(chars);
}

/** Whether some unit at most half as long, repeated, makes the whole (a last repeat may be cut short). */
function repeatsAUnit(chars: number[]): boolean {
  for (let unit = 1; unit <= chars.length / 2; unit++) {
    if (chars.every((char, index) => index < unit || char === chars[index - unit])) return true;
  }
  return false;
}

const ZERO = 48;
const NINE = 57;

/** Every step +1, or every step −1; digits wrap (…8901…), as they do on a keyboard's top row. */
function isStraightRun(chars: number[]): boolean {
  const step = (from: number, to: number) => {
    const digits = from >= ZERO && from <= NINE && to >= ZERO && to <= NINE;
    return digits ? ((to - from + 15) % 10) - 5 : to - from;
  };
  const first = step(chars[0] ?? 0, chars[1] ?? 0);
  if (Math.abs(first) !== 1) return false;
  return chars.every((char, index) => index === 0 || step(chars[index - 1] ?? 0, char) === first);
}

/** Rules for a new password: 12–256 characters, no NUL, no trivial pattern, not a common password. */
export const passwordPolicy = z
  .string()
  // `abort`: the pattern check is quadratic in the length, so it must never see an overlong value.
  .min(PASSWORD_MIN_LENGTH, { message: `Password must be at least ${PASSWORD_MIN_LENGTH} characters long.`, abort: true })
  .max(256, { message: "Password must be at most 256 characters long.", abort: true })
  .refine((value) => !value.includes("\0"), "Password must not contain a NUL character.")
  .refine((value) => !isTrivialPattern(value), "Password must not be a repeated or sequential pattern (like aaaa… or abcabc…).")
  .refine((value) => !isCommonPassword(value), "Password is too common; choose another.")
  .openapi({
    format: "password",
    description: "12–256 characters; not a commonly used password, nor a repeated or sequential pattern.",
  });
