import { hashPassword } from "../../src/core/auth/password";
import type { Role } from "../../src/core/auth/roles";
import { uuidv7 } from "../../src/core/uuid";
import { openClient } from "./pg-client";

export interface SeedUser {
  email: string;
  password: string;
  role: Role;
}

/** Local development logins, printed by `npm run dev`. Never created by `npm run db:seed`. */
export const developmentUsers: SeedUser[] = [
  { email: "admin@example.com", password: "dev-admin-password", role: "admin" },
  { email: "editor@example.com", password: "dev-editor-password", role: "editor" },
  { email: "viewer@example.com", password: "dev-viewer-password", role: "viewer" },
];

/** Creates each user unless one with that e-mail (case-insensitively) exists; returns how many were created. */
export async function seedUsers(url: string, users: SeedUser[]): Promise<number> {
  const client = await openClient(url);
  try {
    let created = 0;
    for (const user of users) {
      // The id is fresh, so the only conflict is the e-mail's unique index (on its folded form, see db/search.ts).
      const result = await client.query(
        "insert into users (id, email, role, password_hash) values ($1, $2, $3, $4) on conflict do nothing",
        [uuidv7(), user.email.trim(), user.role, await hashPassword(user.password)],
      );
      created += result.rowCount ?? 0;
    }
    return created;
  } finally {
    await client.end();
  }
}
