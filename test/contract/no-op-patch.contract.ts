import { describe, expect, it } from "vitest";
import { type ContractTarget, form, json, uniqueTag, userInput } from "./target";

interface UserBody {
  id: string;
  role: string;
  updatedAt: string;
}

/** A merge patch that changes nothing is no change (RFC 7396): no new time, no new token generation. */
export function noOpPatchContract(target: ContractTarget) {
  const anonymous = target.as("anonymous");
  const tokenRequest = (fields: Record<string, string>) => anonymous("/api/v1/auth/token", form(fields));
  const refreshTokenOf = async (response: Response) => {
    expect(response.status).toBe(200);
    return ((await response.json()) as { refresh_token: string }).refresh_token;
  };

  describe(`no-op merge patch (${target.runtime})`, () => {
    it("keeps a user's updatedAt and sessions for {} and for its own role; a real change still moves both", async () => {
      const input = userInput(uniqueTag());
      const created = await target.fetch("/api/v1/users", json(input));
      expect(created.status).toBe(201);
      const user = (await created.json()) as UserBody;
      const path = `/api/v1/users/${user.id}`;
      let refreshToken = await refreshTokenOf(
        await tokenRequest({ grant_type: "password", username: input.email, password: input.password }),
      );

      for (const patch of [{}, { role: user.role }]) {
        const response = await target.fetch(path, json(patch, "PATCH", { "content-type": "application/merge-patch+json" }));
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual(user);
      }
      expect(await (await target.fetch(path)).json()).toEqual(user);
      // Its refresh token still works: a role written as it was revokes nothing.
      refreshToken = await refreshTokenOf(await tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken }));

      const promoted = await target.fetch(path, json({ role: "editor" }, "PATCH"));
      expect(promoted.status).toBe(200);
      const changed = (await promoted.json()) as UserBody;
      expect(changed.role).toBe("editor");
      expect(changed.updatedAt).not.toBe(user.updatedAt);
      expect((await tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken })).status).toBe(400);
    });
  });
}
