import { expect, it } from "vitest";
import type { Role } from "../../src/core/auth/roles";
import type { ContractTarget } from "./target";

/** Method, path, the least role allowed, and the request's other parts (made fresh for each call). */
export type RoleRoute = [method: string, path: string, needed: Role, init: () => RequestInit | undefined];

const ranks: Role[] = ["viewer", "editor", "admin"];

/** One test per route: every role below `needed` gets 403 forbidden, the others get past the check, nobody unsigned does. */
export function itChecksRoles(target: ContractTarget, routes: RoleRoute[]) {
  for (const [method, path, needed, init] of routes) {
    it(`${method} ${path.replace(/[0-9a-f-]{36}/, "{id}")} needs ${needed}`, async () => {
      for (const role of ranks) {
        const response = await target.as(role)(path, { method, ...init() });
        if (ranks.indexOf(role) >= ranks.indexOf(needed)) {
          expect([401, 403], `${role} on ${method} ${path}`).not.toContain(response.status);
        } else {
          expect(response.status, `${role} on ${method} ${path}`).toBe(403);
          expect(((await response.json()) as { code: string }).code).toBe("forbidden");
        }
      }
      expect((await target.as("anonymous")(path, { method, ...init() })).status).toBe(401);
    });
  }
}
