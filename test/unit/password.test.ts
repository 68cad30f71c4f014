import { describe, expect, it } from "vitest";
import {
  derivePbkdf2,
  formatHash,
  hashPassword,
  PASSWORD_ITERATIONS,
  passwordPolicy,
  verifyAgainstDummy,
  verifyPassword,
} from "../../src/core/auth/password";

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

describe("password policy", () => {
  const messages = (value: unknown) => {
    const result = passwordPolicy.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };

  it("accepts a reasonable passphrase", () => {
    expect(messages("correct horse battery staple")).toEqual([]);
    expect(messages("x".repeat(256))).toEqual([]);
  });

  it("rejects too short and too long", () => {
    expect(messages("short12345")).toEqual(["Password must be at least 12 characters long."]);
    expect(messages("x".repeat(257))).toEqual(["Password must be at most 256 characters long."]);
  });

  it("rejects NUL characters", () => {
    expect(messages("correct horse\0battery")).toEqual(["Password must not contain a NUL character."]);
  });

  it("rejects common passwords whatever their case", () => {
    for (const common of ["password1234", "PASSWORD1234", "123456789012", "QwertyuiopAS"]) {
      expect(messages(common), common).toEqual(["Password is too common; choose another."]);
    }
  });

  it("rejects non-strings", () => {
    expect(messages(123456789012)).toHaveLength(1);
  });
});
