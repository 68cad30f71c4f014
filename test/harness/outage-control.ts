import http from "node:http";
import type pg from "pg";
import { createDatabase, dropDatabase } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/migrations";
import { openClient } from "../../scripts/lib/pg-client";
import { type SqlOverHttpEndpoint, startSqlOverHttpEndpoint } from "../../scripts/lib/sql-over-http";
import { type RestartablePostgres, startRestartablePostgres } from "./restartable-postgres";
import { startSessionRelay } from "./session-relay";

/**
 * workerd tests cannot spawn or signal processes, so the Workers outage test
 * drives its Postgres through this small HTTP endpoint in the global setup
 * (Node): `POST /start` (the first call creates the server, migrated and
 * seeded; answers its database URL and user), `POST /stop`. Nothing starts
 * until a test asks, so runs that skip the outage test pay nothing.
 *
 * For the Workers fault test, on the run's shared server (`adminUrl`):
 * `POST /database` makes a throwaway migrated database (answers its URL and
 * name; dropped at close), and `POST /terminate?database=<name>` ends every
 * client session of that database with `pg_terminate_backend` (answers how
 * many, and how many were in the middle of a statement).
 * For the Workers test of a lost endpoint: `POST /endpoint/start` starts a
 * local SQL-over-HTTP endpoint of the test's own (again on the same port after
 * a stop; answers its URL), `POST /endpoint/stop` stops it.
 *
 * And the session relay (session-relay.ts): database sessions held here for
 * workerd tests. Loopback only; a test tool.
 */
export interface OutageControl {
  url: string;
  close(): Promise<void>;
}

export async function startOutageControl(adminUrl: string, postgresTemplate: string): Promise<OutageControl> {
  let postgres: RestartablePostgres | undefined;
  let endpoint: SqlOverHttpEndpoint | undefined;
  let endpointPort = 0;
  const relay = startSessionRelay();
  const databases: string[] = [];
  let killer: Promise<pg.Client> | undefined;
  const openKiller = () => openClient(adminUrl);
  // One operation at a time: a stop racing a start would leave either state.
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => {});
    return next;
  };

  // Not serialised with start/stop: they touch other databases, and kills must keep their rhythm.
  const immediate: Record<string, (query: URLSearchParams) => Promise<unknown>> = {
    "/database": async () => {
      const name = `faults_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      databases.push(name);
      const databaseUrl = await createDatabase(adminUrl, name);
      await applyMigrations(databaseUrl);
      return { databaseUrl, name };
    },
    "/terminate": async (query) => {
      const name = query.get("database") ?? "";
      if (!databases.includes(name)) throw new Error(`not a database this endpoint made: ${name}`);
      killer ??= openKiller();
      const { rows } = await (await killer).query<{ terminated: string; active: string }>(
        `select count(*) filter (where pg_terminate_backend(pid)) as terminated, count(*) filter (where state <> 'idle') as active
         from pg_stat_activity where datname = $1 and backend_type = 'client backend' and pid <> pg_backend_pid()`,
        [name],
      );
      return { terminated: Number(rows[0]?.terminated ?? 0), active: Number(rows[0]?.active ?? 0) };
    },
  };

  const actions: Record<string, () => Promise<unknown>> = {
    "/start": async () => {
      if (postgres) await postgres.start();
      else postgres = await startRestartablePostgres(postgresTemplate);
      return { databaseUrl: postgres.databaseUrl, user: postgres.user };
    },
    "/stop": async () => {
      await postgres?.stop();
      return {};
    },
    "/endpoint/start": async () => {
      endpoint ??= await startSqlOverHttpEndpoint({ port: endpointPort });
      endpointPort = endpoint.port;
      return { url: endpoint.url };
    },
    "/endpoint/stop": async () => {
      await endpoint?.close();
      endpoint = undefined;
      return {};
    },
  };

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://control");
    const inTurn = actions[url.pathname];
    const atOnce = immediate[url.pathname];
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let work: Promise<unknown> | undefined;
    if (request.method === "POST" && inTurn) work = serialised(inTurn);
    else if (request.method === "POST" && atOnce) work = atOnce(url.searchParams);
    else if (request.method === "POST") work = relay.handle(url.pathname, text === "" ? {} : JSON.parse(text));
    if (!work) {
      response.writeHead(404).end();
      return;
    }
    work.then(
      (body) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body)),
      (error: unknown) => response.writeHead(500, { "content-type": "text/plain" }).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("outage control: no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await relay.close();
      await serialised(async () => {
        await endpoint?.close();
        await postgres?.dispose();
      });
      if (killer) await (await killer).end().catch(() => {});
      for (const name of databases) await dropDatabase(adminUrl, name).catch(() => {});
    },
  };
}
