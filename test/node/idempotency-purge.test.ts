import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { uuidv7 } from "../../src/core/uuid";
import { refreshTokens } from "../../src/modules/auth/refresh-tokens.table";
import { idempotencyKeys } from "../../src/modules/idempotency/idempotency.table";
import { startServer } from "../../src/node/start-server";
import { uniqueTag } from "../contract/target";

const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
const db = drizzle({ client: pool });
afterAll(() => pool.end());

describe("Node purges expired idempotency keys and refresh tokens on a timer", () => {
  it("deletes expired rows and keeps live ones", async () => {
    const tag = uniqueTag();
    const row = { userId: `purge-${tag}`, requestHash: "h", status: 201, response: {}, headers: {} };
    await db.insert(idempotencyKeys).values([
      { ...row, key: "expired", expiresAt: sql`now() - interval '1 minute'` },
      { ...row, key: "live", expiresAt: sql`now() + interval '1 day'` },
    ]);
    const token = { familyId: uuidv7(), userId: inject("testUsers").viewer.id, authVersion: 1 };
    await db.insert(refreshTokens).values([
      { ...token, id: uuidv7(), tokenHash: `expired-${tag}`, expiresAt: sql`now() - interval '1 minute'` },
      { ...token, id: uuidv7(), tokenHash: `live-${tag}`, expiresAt: sql`now() + interval '1 day'` },
    ]);
    const server = await startServer(
      { DATABASE_URL: inject("databaseUrl"), ENVIRONMENT: "test", PORT: "0", LOG_LEVEL: "silent" },
      { purgeIntervalMs: 100 },
    );
    try {
      const deadline = Date.now() + 5_000;
      let keys: string[] = [];
      do {
        await new Promise((resolve) => setTimeout(resolve, 100));
        keys = (await db.select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(eq(idempotencyKeys.userId, row.userId))).map(
          (r) => r.key,
        );
      } while (keys.includes("expired") && Date.now() < deadline);
      expect(keys).toEqual(["live"]);
      const tokens = await db
        .select({ hash: refreshTokens.tokenHash })
        .from(refreshTokens)
        .where(eq(refreshTokens.familyId, token.familyId));
      expect(tokens).toEqual([{ hash: `live-${tag}` }]);
    } finally {
      await server.shutdown("test");
    }
  });
});
