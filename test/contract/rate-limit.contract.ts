import { describe, expect, it } from "vitest";
import { type ContractTarget, json, uniqueTag, userInput } from "./target";

const wrongPassword = "wrong password, again";

const login = (target: ContractTarget, username: string, password: string, address: string) =>
  target.as("anonymous")("/api/v1/auth/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": address },
    body: new URLSearchParams({ username, password }).toString(),
  });

/** A fresh user of its own, so failures in one test never touch another's logins. */
async function newUser(target: ContractTarget) {
  const input = userInput(`limits-${uniqueTag()}`);
  const response = await target.fetch("/api/v1/users", json(input));
  expect(response.status).toBe(201);
  return { email: input.email, password: input.password };
}

/** A documentation address (RFC 3849) in a fresh /64 (limits count an IPv6 /64 as one), so tests and runs never share counters. */
const someAddress = () => {
  const [a, b] = crypto.getRandomValues(new Uint16Array(2));
  return `2001:db8:${(a ?? 0).toString(16)}:${(b ?? 0).toString(16)}::1`;
};
/** Another host in the same /64 as `address`. */
const sameNetwork = (address: string, host: string) => address.replace(/::[0-9a-f]+$/, `::${host}`);

async function expectRateLimited(response: Response, retryAfter?: number) {
  expect(response.status).toBe(429);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(((await response.json()) as { code: string }).code).toBe("rate_limited");
  const seconds = Number(response.headers.get("retry-after"));
  if (retryAfter === undefined) expect(seconds).toBeGreaterThanOrEqual(1);
  else expect(seconds).toBe(retryAfter);
}

/**
 * `perAccount` and `perAddress` are the failures the target allows (per account from one address, and per
 * address) before it makes them wait; its first wait is 1 s (LOGIN_BACKOFF_SECONDS). `perAddress` must exceed
 * 2 × (`perAccount` − 1): the test of clearing fails that often from one address, which a success does not clear.
 */
export function rateLimitContract(target: ContractTarget, limits: { perAccount: number; perAddress: number; label: string }) {
  describe(`login rate limits (${target.runtime}, ${limits.label})`, () => {
    it(`after ${limits.perAccount} wrong passwords from one address it waits, right password too; others log in`, async () => {
      const user = await newUser(target);
      const attacker = someAddress();
      for (let index = 0; index < limits.perAccount; index++) {
        expect((await login(target, user.email, wrongPassword, attacker)).status).toBe(401);
      }
      // Refused before the password is checked: 429 for the right one too, so 429-vs-200 reveals nothing.
      await expectRateLimited(await login(target, user.email, user.password, attacker));
      await expectRateLimited(await login(target, user.email, wrongPassword, attacker));
      // The owner, elsewhere, is not locked out.
      expect((await login(target, user.email, user.password, someAddress())).status).toBe(200);
    });

    it("counts one account's failures together whatever the case or Unicode spelling of its e-mail", async () => {
      const email = `straße.${uniqueTag()}@bücher.example`;
      const input = userInput(uniqueTag(), { email });
      expect((await target.fetch("/api/v1/users", json(input))).status).toBe(201);
      // ß or SS, Ü or ü, composed or decomposed (NFD): one account, as for login itself.
      const spellings = [email, email.toUpperCase(), email.normalize("NFD")];
      const attacker = someAddress();
      for (let index = 0; index < limits.perAccount; index++) {
        expect((await login(target, spellings[index % spellings.length] ?? email, wrongPassword, attacker)).status).toBe(401);
      }
      await expectRateLimited(await login(target, email, input.password, attacker));
    });

    it("an IPv6 client cannot escape by hopping addresses within its /64", async () => {
      const user = await newUser(target);
      const attacker = someAddress();
      for (let index = 0; index < limits.perAccount; index++) {
        expect((await login(target, user.email, wrongPassword, sameNetwork(attacker, (index + 10).toString(16)))).status).toBe(401);
      }
      await expectRateLimited(await login(target, user.email, user.password, sameNetwork(attacker, "ffff")));
      expect((await login(target, user.email, user.password, someAddress())).status).toBe(200);
    });

    it(`only failures count: ${limits.perAccount + limits.perAddress + 1} successful logins from one address never get 429`, async () => {
      const user = await newUser(target);
      const address = someAddress();
      const statuses: number[] = [];
      for (let index = 0; index < limits.perAccount + limits.perAddress + 1; index++) {
        statuses.push((await login(target, user.email, user.password, address)).status);
      }
      expect(new Set(statuses)).toEqual(new Set([200]));
    });

    it("a successful login clears that account's failures from that address", async () => {
      const user = await newUser(target);
      const address = someAddress();
      for (let round = 0; round < 2; round++) {
        for (let index = 0; index < limits.perAccount - 1; index++) {
          expect((await login(target, user.email, wrongPassword, address)).status).toBe(401);
        }
        expect((await login(target, user.email, user.password, address)).status).toBe(200);
      }
    });

    it("the wait doubles with each failure after it", { timeout: 15_000 }, async () => {
      const user = await newUser(target);
      const address = someAddress();
      for (let index = 0; index < limits.perAccount; index++) {
        expect((await login(target, user.email, wrongPassword, address)).status).toBe(401);
      }
      await expectRateLimited(await login(target, user.email, wrongPassword, address), 1);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await login(target, user.email, wrongPassword, address)).status).toBe(401);
      await expectRateLimited(await login(target, user.email, wrongPassword, address), 2);
    });

    it(`after ${limits.perAddress} failures from one address, whatever the accounts, that address waits; another does not`, async () => {
      const address = someAddress();
      const tag = uniqueTag();
      // Unknown accounts count like wrong passwords, so the limits do not tell which e-mails exist.
      for (let index = 0; index < limits.perAddress; index++) {
        expect((await login(target, `spray-${index}-${tag}@test.example`, wrongPassword, address)).status).toBe(401);
      }
      await expectRateLimited(await login(target, `spray-last-${tag}@test.example`, wrongPassword, address));
      const user = await newUser(target);
      await expectRateLimited(await login(target, user.email, user.password, address));
      expect((await login(target, user.email, user.password, someAddress())).status).toBe(200);
    });
  });
}
