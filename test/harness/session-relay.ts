import type pg from "pg";
import { z } from "zod";
import { openClient } from "../../scripts/lib/pg-client";

/**
 * Database sessions held in Node for workerd tests, driven over HTTP (mounted
 * on the outage control endpoint). workerd cannot open TCP to Postgres, and
 * the Worker's own path (SQL over HTTP) cannot hold a transaction open between
 * statements, which a test needs to keep a row locked while the Worker waits
 * on it. A test tool, loopback only:
 *
 * - `POST /session` `{databaseUrl}` → `{id}`
 * - `POST /session/query` `{id, text, values?}` → `{rows}` (a database error → 500 with its message)
 * - `POST /session/end` `{id}` → `{}`
 */
export interface SessionRelay {
  /** Answers a `/session…` path, or undefined for any other path. */
  handle(path: string, body: unknown): Promise<unknown> | undefined;
  close(): Promise<void>;
}

const opening = z.object({ databaseUrl: z.string() });
const querying = z.object({ id: z.string(), text: z.string(), values: z.array(z.unknown()).optional() });
const ending = z.object({ id: z.string() });

export function startSessionRelay(): SessionRelay {
  const sessions = new Map<string, pg.Client>();
  const session = (id: string) => {
    const client = sessions.get(id);
    if (!client) throw new Error(`no session ${id}`);
    return client;
  };
  const routes: Record<string, (body: unknown) => Promise<unknown>> = {
    "/session": async (body) => {
      // A stopped Postgres ends the session; the next query reports it, nothing else must throw.
      const client = await openClient(opening.parse(body).databaseUrl);
      const id = crypto.randomUUID();
      sessions.set(id, client);
      return { id };
    },
    "/session/query": async (body) => {
      const { id, text, values } = querying.parse(body);
      const { rows } = await session(id).query(text, values);
      return { rows };
    },
    "/session/end": async (body) => {
      const { id } = ending.parse(body);
      const client = sessions.get(id);
      sessions.delete(id);
      await client?.end().catch(() => {});
      return {};
    },
  };
  return {
    handle: (path, body) => routes[path]?.(body),
    async close() {
      await Promise.all([...sessions.values()].map((client) => client.end().catch(() => {})));
      sessions.clear();
    },
  };
}
