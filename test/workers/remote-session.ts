import { inject } from "vitest";
import { z } from "zod";
import type { SqlSession } from "../harness/row-lock";

const control = inject("outageControl");

async function call(path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${control}${path}`, { method: "POST", body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`session relay ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const opened = z.object({ id: z.string() });
const result = z.object({ rows: z.array(z.unknown()) });

/**
 * A database session of the test's own, held in Node by the global setup's
 * session relay (test/harness/session-relay.ts): workerd has no TCP to
 * Postgres, and statements over HTTP cannot keep a transaction (a row lock)
 * open between them.
 */
export async function openRemoteSession(databaseUrl: string): Promise<SqlSession> {
  const { id } = opened.parse(await call("/session", { databaseUrl }));
  return {
    query: async (text, values) => result.parse(await call("/session/query", { id, text, values })),
    end: async () => {
      await call("/session/end", { id });
    },
  };
}
