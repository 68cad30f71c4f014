import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  createDatabase,
  type EmbeddedPostgresOptions,
  findFreePort,
  type RunningPostgres,
  startEmbeddedPostgres,
} from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/migrations";
import { type SeedUser, seedUsers } from "../../scripts/lib/seed-users";
import { seedTestUsers } from "./test-users";

/** A Postgres of its own that a test stops and starts again on the same port, data kept. */
export interface RestartablePostgres {
  /** A migrated database on it, with `user` seeded. */
  databaseUrl: string;
  user: SeedUser;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its data. */
  dispose(): Promise<void>;
}

const user: SeedUser = { email: "outage@test.example", password: "outage test password 1", role: "editor" };

/**
 * Not the run's shared server: stopping that would break every other test.
 * The data directory is the mkdtemp folder itself (see embedded-postgres.ts on
 * running as root), persistent so a restart finds the same cluster.
 */
export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "product-service-outage-"));
  const options: EmbeddedPostgresOptions = { dataDir, port: await findFreePort(), persistent: true, fast: true };
  let server: RunningPostgres | undefined = await startEmbeddedPostgres(options);
  const databaseUrl = await createDatabase(server.adminUrl, "outage");
  await applyMigrations(databaseUrl);
  await seedUsers(databaseUrl, [user]);
  // The run's test users too: the suites' tokens speak for them, and admin operations check the stored user.
  await seedTestUsers(databaseUrl);
  return {
    databaseUrl,
    user,
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async start() {
      server ??= await startEmbeddedPostgres(options);
    },
    async dispose() {
      await server?.stop();
      server = undefined;
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
