import { describe, expect, it } from "vitest";
import { type ContractTarget, json, uniqueTag, userInput } from "./target";

/** New passwords (user create, password change) that are common or a trivial pattern get 422, and change nothing. */
export function passwordRulesContract(target: ContractTarget) {
  describe(`password rules (${target.runtime})`, () => {
    const refused: [string, string, RegExp][] = [
      ["a repeated character", "aaaaaaaaaaaa", /repeated or sequential/],
      ["a repeated unit", "abcabcabcabc", /repeated or sequential/],
      ["a straight run", "123456789012", /repeated or sequential/],
      ["a common keyboard walk", "1QAZ2WSX3EDC", /too common/],
      ["a breached password", "liverpool123", /too common/],
    ];

    it.each(refused)("422 for %s on create, nothing created", async (_, password, message) => {
      const input = userInput(`rules-${uniqueTag()}`, { password });
      const response = await target.fetch("/api/v1/users", json(input));
      expect(response.status).toBe(422);
      const body = (await response.json()) as { code: string; errors: { path: string; message: string }[] };
      expect(body.code).toBe("validation_failed");
      expect(body.errors).toEqual([expect.objectContaining({ path: "password", message: expect.stringMatching(message) })]);
      const listed = await target.fetch(`/api/v1/users?q=${encodeURIComponent(input.email)}`);
      expect(((await listed.json()) as { data: unknown[] }).data).toEqual([]);
    });

    it.each(refused)("422 for %s on a password change, the old password still works", async (_, password, message) => {
      const input = userInput(`rules-${uniqueTag()}`);
      const created = await target.fetch("/api/v1/users", json(input));
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const response = await target.fetch(`/api/v1/users/${id}`, json({ password }, "PATCH"));
      expect(response.status).toBe(422);
      expect(((await response.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(message);
      const login = await target.as("anonymous")("/api/v1/auth/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": `2001:db8::${id.slice(-4)}` },
        body: new URLSearchParams({ username: input.email, password: input.password }).toString(),
      });
      expect(login.status).toBe(200);
    });
  });
}
