// The login lookup and `q` on users stay served by the indexes on the folded e-mail (db/search.ts) after
// folding became Unicode-aware, on a database of each locale the service meets.
import { describe, expect, it } from "vitest";
import { UserRepository } from "../../src/modules/users/users.repository";
import { databaseLocales, indexUseDatabase } from "../harness/query-plans";

const email = "Ärger.Σοφός@bücher.example";

describe.each(databaseLocales)("e-mail lookups on a %s database", (locale) => {
  const indexesReadBy = indexUseDatabase("email_index", locale, async (client) => {
    // Enough rows that reading them all costs more than the index: the planner's own choice is the proof.
    await client.query(
      `insert into users (id, email, role, password_hash)
       select gen_random_uuid(), 'user-' || g || '-' || md5(g::text) || '@test.example', 'viewer', 'x' from generate_series(1, 5000) as g`,
    );
    await client.query("insert into users (id, email, role, password_hash) values (gen_random_uuid(), $1, 'viewer', 'x')", [email]);
  });

  it("finds a user at login by the e-mail in another case and spelling, through the unique index", async () => {
    const spelling = "ärger.σοφόσ@BÜCHER.EXAMPLE".normalize("NFD");
    const indexes = await indexesReadBy("users", async (db) =>
      expect((await new UserRepository(db).findByEmail(spelling))?.email).toBe(email),
    );
    expect(indexes).toContain("users_email_folded_unique");
  });

  it("lists users by a part of the e-mail through the trigram index", async () => {
    const indexes = await indexesReadBy("users", async (db) =>
      expect((await new UserRepository(db).list({ q: "ärger.ΣΟΦΌΣ@" })).data.map((user) => user.email)).toEqual([email]),
    );
    expect(indexes).toContain("users_email_folded_trgm_idx");
  });
});
