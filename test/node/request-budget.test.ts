import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { openClient } from "../../scripts/lib/pg-client";
import type { Database } from "../../src/db/database";
import { STATEMENT_GRACE_MS } from "../../src/db/statement-timeout";
import { requestBudgetContract } from "../contract/request-budget.contract";
import { createNodeTarget } from "./app-target";

const budgetMs = 500;
const target = createNodeTarget({ REQUEST_TIMEOUT_MS: String(budgetMs) });
afterAll(() => target.database.close());

const openSession = () => openClient(inject("databaseUrl"));

requestBudgetContract(target, budgetMs, openSession);

const showResult = z.object({ rows: z.array(z.object({ statement_timeout: z.string() })).length(1) });
async function statementTimeout(db: Database): Promise<string | undefined> {
  return showResult.parse(await db.execute(sql`show statement_timeout`)).rows[0]?.statement_timeout;
}

describe("statement_timeout (node-postgres)", () => {
  it("is set on every connection: DB_STATEMENT_TIMEOUT_MS, capped just past REQUEST_TIMEOUT_MS", async () => {
    const defaults = createNodeTarget();
    const configured = createNodeTarget({ DB_STATEMENT_TIMEOUT_MS: "1500" });
    try {
      expect(await statementTimeout(defaults.database.db)).toBe("5s");
      expect(await statementTimeout(configured.database.db)).toBe("1500ms");
      expect(await statementTimeout(target.database.db)).toBe(`${budgetMs + STATEMENT_GRACE_MS}ms`);
    } finally {
      await Promise.all([defaults.database.close(), configured.database.close()]);
    }
  });
});
