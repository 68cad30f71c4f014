import { sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/core/logger";
import { openNeonDatabase } from "../../src/db/neon";
import { requestBudgetContract } from "../contract/request-budget.contract";
import { openNeonSession } from "./neon-session";
import { createWorkerTarget } from "./worker-target";

const budgetMs = 500;
requestBudgetContract(createWorkerTarget({ REQUEST_TIMEOUT_MS: String(budgetMs) }), budgetMs, () => openNeonSession(inject("databaseUrl")));

const showResult = z.object({ rows: z.array(z.object({ statement_timeout: z.string() })).length(1) });

describe("statement_timeout (Neon driver through the local bridge)", () => {
  it("is set on the connection: DB_STATEMENT_TIMEOUT_MS, capped at REQUEST_TIMEOUT_MS", async () => {
    const show = async (settings: Record<string, string>) => {
      const config = loadConfig({
        DATABASE_URL: inject("databaseUrl"),
        NEON_WS_PROXY: inject("wsProxy"),
        LOG_LEVEL: "silent",
        ...settings,
      });
      const lease = openNeonDatabase({ ...config, DATABASE_URL: inject("databaseUrl") }, createLogger("silent"));
      try {
        return showResult.parse(await lease.db.execute(sql`show statement_timeout`)).rows[0]?.statement_timeout;
      } finally {
        await lease.release();
      }
    };
    expect(await show({})).toBe("5s");
    expect(await show({ DB_STATEMENT_TIMEOUT_MS: "1500", REQUEST_TIMEOUT_MS: "800" })).toBe("800ms");
  });
});
