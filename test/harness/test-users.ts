import { openClient } from "../../scripts/lib/pg-client";
import { hashPassword } from "../../src/core/auth/password";
import type { Role } from "../../src/core/auth/roles";

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
}

export type TestUsers = Record<Role, TestUser>;

/**
 * Fixed ids, so a database of a test's own (the outage tests') can hold the same users: the
 * tests' tokens name these ids, and admin operations check the stored user behind a token.
 */
const ids = {
  viewer: "01937c5e-0000-7000-8000-000000000001",
  editor: "01937c5e-0000-7000-8000-000000000002",
  admin: "01937c5e-0000-7000-8000-000000000003",
} as const;

/** One user per role, written straight to the database (logins are tested through the API). */
export async function seedTestUsers(url: string): Promise<TestUsers> {
  const client = await openClient(url);
  try {
    const users = {} as TestUsers;
    const roles = ["viewer", "editor", "admin"] as const;
    // The three hashes at once (PBKDF2 runs on Node's thread pool); the inserts one after another on the one client.
    const hashes = await Promise.all(roles.map((role) => hashPassword(`correct horse battery ${role}`)));
    for (const [index, role] of roles.entries()) {
      const user = { id: ids[role], email: `${role}@test.example`, password: `correct horse battery ${role}`, role };
      await client.query("insert into users (id, email, role, password_hash) values ($1, $2, $3, $4)", [
        user.id,
        user.email,
        role,
        hashes[index],
      ]);
      users[role] = user;
    }
    return users;
  } finally {
    await client.end();
  }
}
