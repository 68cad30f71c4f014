import http from "node:http";
import { type RestartablePostgres, startRestartablePostgres } from "./restartable-postgres";

/**
 * workerd tests cannot spawn or signal processes, so the Workers outage test
 * drives its Postgres through this small HTTP endpoint in the global setup
 * (Node): `POST /start` (the first call creates the server, migrated and
 * seeded; answers its database URL and user), `POST /stop`. Nothing starts
 * until a test asks, so runs that skip the outage test pay nothing.
 * Loopback only; a test tool.
 */
export interface OutageControl {
  url: string;
  close(): Promise<void>;
}

export async function startOutageControl(): Promise<OutageControl> {
  let postgres: RestartablePostgres | undefined;
  // One operation at a time: a stop racing a start would leave either state.
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => {});
    return next;
  };

  const actions: Record<string, () => Promise<unknown>> = {
    "/start": async () => {
      if (postgres) await postgres.start();
      else postgres = await startRestartablePostgres();
      return { databaseUrl: postgres.databaseUrl, user: postgres.user };
    },
    "/stop": async () => {
      await postgres?.stop();
      return {};
    },
  };

  const server = http.createServer((request, response) => {
    const action = request.method === "POST" ? actions[request.url ?? ""] : undefined;
    if (!action) {
      response.writeHead(404).end();
      return;
    }
    serialised(action).then(
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
      await serialised(async () => postgres?.dispose());
    },
  };
}
