// The login lookup and `q` on users stay served by the indexes on the folded e-mail (db/search.ts) after
// folding became Unicode-aware, on a database of each locale the service meets.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dropDatabase } from "../../scripts/lib/embedded-postgres";
import { withClient } from "../../scripts/lib/pg-client";
import { UserRepository } from "../../src/modules/users/users.repository";
import { createDatabaseWithLocale, databaseLocales, indexesRead, recordStatements, type SentStatement } from "../harness/query-plans";
import { createNodeTarget, type NodeTarget } from "./app-target";

const email = "Ärger.Σοφός@bücher.example";

describe.each(databaseLocales)("e-mail lookups on a %s database", (locale) => {
  const name = `email_index_${locale === "C" ? "c" : "c_utf8"}_${Date.now().toString(36)}`;
  let url: string;
  let target: NodeTarget;
  let sent: SentStatement[];

  beforeAll(async () => {
    url = await createDatabaseWithLocale(inject("adminDatabaseUrl"), name, locale);
    await withClient(url, async (client) => {
      // Enough rows that reading them all costs more than the index: the planner's own choice is the proof.
      await client.query(
        `insert into users (id, email, role, password_hash)
         select gen_random_uuid(), 'user-' || g || '-' || md5(g::text) || '@test.example', 'viewer', 'x' from generate_series(1, 5000) as g`,
      );
      await client.query("insert into users (id, email, role, password_hash) values (gen_random_uuid(), $1, 'viewer', 'x')", [email]);
      // VACUUM moves the new rows from GIN's pending list into the index proper, as autovacuum would.
      await client.query("vacuum analyze users");
    });
    target = createNodeTarget({ DATABASE_URL: url });
    sent = recordStatements(target.database.pool);
  });

  afterAll(async () => {
    await target?.database.close();
    await dropDatabase(inject("adminDatabaseUrl"), name);
  });

  const statementOf = async (run: (users: UserRepository) => Promise<unknown>) => {
    sent.length = 0;
    await run(new UserRepository(target.database.db));
    const [statement] = sent.filter((each) => each.text.includes('from "users"'));
    expect(statement).toBeDefined();
    return statement as SentStatement;
  };

  it("finds a user at login by the e-mail in another case and spelling, through the unique index", async () => {
    const spelling = "ärger.σοφόσ@BÜCHER.EXAMPLE".normalize("NFD");
    const statement = await statementOf(async (users) => expect((await users.findByEmail(spelling))?.email).toBe(email));
    expect(await indexesRead(url, statement)).toContain("users_email_folded_unique");
  });

  it("lists users by a part of the e-mail through the trigram index", async () => {
    const statement = await statementOf(async (users) =>
      expect((await users.list({ q: "ärger.ΣΟΦΌΣ@" })).data.map((user) => user.email)).toEqual([email]),
    );
    expect(await indexesRead(url, statement)).toContain("users_email_folded_trgm_idx");
  });
});
