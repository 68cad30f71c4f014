import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { derivePbkdf2, formatHash, PASSWORD_ITERATIONS } from "../../src/core/auth/password";
import { uuidv7 } from "../../src/core/uuid";
import { users } from "../../src/modules/users/users.table";
import { uniqueTag } from "../contract/target";
import { createNodeTarget } from "./app-target";

const target = createNodeTarget();
afterAll(() => target.database.close());

describe("password hashes with old parameters", () => {
  it("are re-hashed with the current iterations at the next successful login", async () => {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const password = "an old but long password";
    const weak = formatHash(1000, salt, await derivePbkdf2(password, salt, 1000));
    const id = uuidv7();
    const email = `old-${uniqueTag()}@test.example`;
    await target.database.db.insert(users).values({ id, email, role: "viewer", passwordHash: weak });

    const login = await target.as("anonymous")("/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: email, password }).toString(),
    });
    expect(login.status).toBe(200);
    const [row] = await target.database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, id));
    expect(row?.hash).toMatch(new RegExp(`^pbkdf2-sha256\\$${PASSWORD_ITERATIONS}\\$`));
    expect(row?.hash).not.toBe(weak);
  });
});
