import { describe, expect, it } from "vitest";
import { type ContractTarget, form, json, uniqueTag, userInput } from "./target";

const password = "a long enough password";

/**
 * One e-mail is one account whatever its case, in every script, and whatever its Unicode spelling
 * (NFC or NFD, `ß` or `SS`): for uniqueness, login and the users search. The database's locale must
 * not matter (the embedded test cluster's is `C`, where `lower()` folds ASCII only).
 */
export function emailIdentityContract(target: ContractTarget) {
  const createUser = (email: string) => target.fetch("/api/v1/users", json(userInput(uniqueTag(), { email })));
  const login = (username: string) => target.as("anonymous")("/api/v1/auth/token", form({ username, password }));

  describe(`e-mail identity in every script (${target.runtime})`, () => {
    it("accepts an internationalised e-mail and answers it as given", async () => {
      const email = `Ärger.${uniqueTag()}@Bücher.example`;
      const response = await createUser(email);
      expect(response.status, await response.clone().text()).toBe(201);
      expect(((await response.json()) as { email: string }).email).toBe(email);
    });

    it.each([
      ["another case of an accented letter", (tag: string) => [`Ärger.${tag}@bücher.example`, `ärger.${tag}@BÜCHER.EXAMPLE`]],
      ["a decomposed spelling (NFD)", (tag: string) => [`ärger.${tag}@bücher.example`, `ärger.${tag}@bücher.example`.normalize("NFD")]],
      ["Greek in another case (σ, ς and Σ)", (tag: string) => [`σοφός.${tag}@παράδειγμα.δοκιμή`, `ΣΟΦΌΣ.${tag}@ΠΑΡΆΔΕΙΓΜΑ.ΔΟΚΙΜΉ`]],
      ["Cyrillic in another case", (tag: string) => [`иван.${tag}@пример.рф`, `ИВАН.${tag}@ПРИМЕР.РФ`]],
      ["SS for ß", (tag: string) => [`straße.${tag}@test.example`, `STRASSE.${tag}@test.example`]],
    ])("409 for an e-mail taken in %s", async (_, spellings) => {
      const [first = "", second = ""] = spellings(uniqueTag());
      expect((await createUser(first)).status).toBe(201);
      const again = await createUser(second);
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ code: "conflict", errors: [{ path: "email", code: "taken" }] });
    });

    it("logs in with the e-mail in another case or spelling", async () => {
      const tag = uniqueTag();
      expect((await createUser(`Ärger.${tag}@bücher.example`)).status).toBe(201);
      for (const spelling of [`ÄRGER.${tag}@BÜCHER.EXAMPLE`, `ärger.${tag}@bücher.example`.normalize("NFD")]) {
        expect((await login(spelling)).status, spelling).toBe(200);
      }
    });

    it("finds users by a part of their e-mail in another case", async () => {
      const tag = uniqueTag();
      expect((await createUser(`Ärger.${tag}@bücher.example`)).status).toBe(201);
      const response = await target.fetch(`/api/v1/users?q=${encodeURIComponent(`ärger.${tag}@BÜCHER`)}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: { email: string }[] };
      expect(body.data.map((user) => user.email)).toEqual([`Ärger.${tag}@bücher.example`]);
    });
  });
}
