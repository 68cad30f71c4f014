import pg from "pg";
import { hashPassword } from "../../src/core/auth/password";
import type { Role } from "../../src/core/auth/roles";
import { uuidv7 } from "../../src/core/uuid";

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
}

export type TestUsers = Record<Role, TestUser>;

/** One user per role, written straight to the database once per run (logins are tested through the API). */
export async function seedTestUsers(url: string): Promise<TestUsers> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    const users = {} as TestUsers;
    for (const role of ["viewer", "editor", "admin"] as const) {
      const user = { id: uuidv7(), email: `${role}@test.example`, password: `correct horse battery ${role}`, role };
      await client.query("insert into users (id, email, role, password_hash) values ($1, $2, $3, $4)", [
        user.id,
        user.email,
        role,
        await hashPassword(user.password),
      ]);
      users[role] = user;
    }
    return users;
  } finally {
    await client.end();
  }
}
