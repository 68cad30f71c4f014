import { afterEach, describe, expect, it } from "vitest";
import { COMMON_PASSWORDS } from "../../src/core/auth/common-passwords";
import {
  DEFAULT_PASSWORD_HASH_CONCURRENCY,
  derivePbkdf2,
  formatHash,
  hashPassword,
  limitPasswordHashing,
  PASSWORD_ITERATIONS,
  verifyAgainstDummy,
  verifyPassword,
} from "../../src/core/auth/password";
import { passwordPolicy } from "../../src/core/auth/password-policy";
import { ApiError } from "../../src/core/errors";

describe("password hashing", () => {
  it("stores algorithm, iterations, 16-byte salt and 32-byte hash, base64url", async () => {
    const stored = await hashPassword("correct horse battery staple");
    const [algorithm, iterations, salt, hash, ...rest] = stored.split("$");
    expect(algorithm).toBe("pbkdf2-sha256");
    expect(Number(iterations)).toBe(PASSWORD_ITERATIONS);
    expect(PASSWORD_ITERATIONS).toBe(100_000);
    expect(salt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rest).toEqual([]);
  });

  it("salts every hash differently", async () => {
    expect(await hashPassword("same password twice")).not.toBe(await hashPassword("same password twice"));
  });

  it("verifies the right password and rejects a wrong one", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", stored)).toEqual({ valid: true, needsRehash: false });
    expect(await verifyPassword("correct horse battery stapler", stored)).toEqual({ valid: false, needsRehash: false });
    expect(await verifyPassword("", stored)).toEqual({ valid: false, needsRehash: false });
  });

  it("treats canonically equivalent Unicode spellings as the same password", async () => {
    const stored = await hashPassword("caf\u00e9 au lait please");
    expect((await verifyPassword("cafe\u0301 au lait please", stored)).valid).toBe(true);
  });

  it("never throws on a garbled or foreign stored hash", async () => {
    const good = await hashPassword("correct horse battery staple");
    const [, iterations, salt, hash] = good.split("$");
    const garbled = [
      "",
      "not a hash",
      good.slice(0, -1).concat("$"),
      `${good}$extra`,
      `bcrypt$${iterations}$${salt}$${hash}`,
      `pbkdf2-sha256$0$${salt}$${hash}`,
      `pbkdf2-sha256$-5$${salt}$${hash}`,
      `pbkdf2-sha256$1e5$${salt}$${hash}`,
      `pbkdf2-sha256$${PASSWORD_ITERATIONS + 1}$${salt}$${hash}`,
      `pbkdf2-sha256$${iterations}$!!!$${hash}`,
      `pbkdf2-sha256$${iterations}$${salt}$`,
      `pbkdf2-sha256$${iterations}$${salt}$A`,
      "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
    ];
    for (const stored of garbled) {
      expect(await verifyPassword("correct horse battery staple", stored), stored).toEqual({ valid: false, needsRehash: false });
    }
  });

  it("asks for a rehash when the stored hash used fewer iterations", async () => {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const weak = formatHash(1000, salt, await derivePbkdf2("correct horse battery staple", salt, 1000));
    expect(await verifyPassword("correct horse battery staple", weak)).toEqual({ valid: true, needsRehash: true });
    // A wrong password never triggers a rehash: there is nothing to rehash it with.
    expect(await verifyPassword("wrong horse battery staple", weak)).toEqual({ valid: false, needsRehash: false });
  });

  it("runs the dummy verification at full cost without throwing", async () => {
    await expect(verifyAgainstDummy("anything at all")).resolves.toBeUndefined();
  });
});

describe("password hashing cap", () => {
  afterEach(() => limitPasswordHashing(DEFAULT_PASSWORD_HASH_CONCURRENCY));

  it("answers 503 with Retry-After past the cap at once, instead of queueing", async () => {
    limitPasswordHashing(2);
    const stored = await hashPassword("correct horse battery staple");
    // Started together: two run, the third is refused before it derives anything.
    const results = await Promise.allSettled([
      verifyPassword("correct horse battery staple", stored),
      hashPassword("another long password"),
      verifyAgainstDummy("a third long password"),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    const refusal = (results[2] as PromiseRejectedResult).reason as unknown;
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ code: "service_unavailable", status: 503, options: { headers: { "Retry-After": "1" } } });
  });

  it("frees its slot when a hash finishes, so the next one runs", async () => {
    limitPasswordHashing(1);
    const stored = await hashPassword("first long password");
    expect((await verifyPassword("first long password", stored)).valid).toBe(true);
    await expect(hashPassword("second long password")).resolves.toMatch(/^pbkdf2-sha256\$/);
  });

  it("rejects a cap below one", () => {
    expect(() => limitPasswordHashing(0)).toThrow(RangeError);
  });
});

describe("password policy", () => {
  const messages = (value: unknown) => {
    const result = passwordPolicy.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };

  it("accepts a reasonable passphrase, and the passwords the tests and development use", () => {
    for (const password of [
      "correct horse battery staple",
      "correct horse battery admin",
      "a long enough password",
      "dev-admin-password",
    ]) {
      expect(messages(password), password).toEqual([]);
    }
    expect(messages("ab1".repeat(85).concat("x"))).toEqual([]);
  });

  it("rejects too short and too long", () => {
    expect(messages("short12345")).toEqual(["Password must be at least 12 characters long."]);
    expect(messages("x".repeat(257))).toEqual(["Password must be at most 256 characters long."]);
  });

  it("rejects NUL characters", () => {
    expect(messages("correct horse\0battery")).toEqual(["Password must not contain a NUL character."]);
  });

  it("rejects common passwords whatever their case", () => {
    for (const common of [
      "password1234",
      "PASSWORD1234",
      "QwertyuiopAS",
      "qwerty123456",
      "1q2w3e4r5t6y",
      "iloveyou1234",
      "administrator",
    ]) {
      expect(messages(common), common).toEqual(["Password is too common; choose another."]);
    }
  });

  it("carries a list of a useful size: thousands of common passwords, each long enough to pass the length rule", () => {
    const list = COMMON_PASSWORDS.split("\n");
    expect(list.length).toBeGreaterThanOrEqual(2_000);
    expect(list.every((password) => Array.from(password).length >= 12)).toBe(true);
  });

  it("rejects a repeated unit or a straight run, which no list can hold them all of", () => {
    const pattern = "Password must not be a repeated or sequential pattern (like aaaa… or abcabc…).";
    for (const trivial of [
      "aaaaaaaaaaaa",
      "AAAAAAAAAAAAAAAAAAAA",
      "abcabcabcabc",
      "abababababab",
      "hello1hello1",
      "passwordpassword",
      "xyzxyzxyzxyzx",
      "éééééééééééé",
      "abcdefghijklm",
      "123456789012",
      "987654321098",
      "zyxwvutsrqpo",
    ]) {
      expect(messages(trivial), trivial).toEqual([pattern]);
    }
    // Near misses are someone's real password: the list and the length rule judge them, not the pattern rule.
    for (const fine of ["aaaaaaaaaaab", "abcabcabcabd", "abcdefghijkz", "135791357913x"]) expect(messages(fine), fine).toEqual([]);
  });

  it("rejects non-strings", () => {
    expect(messages(123456789012)).toHaveLength(1);
  });
});
