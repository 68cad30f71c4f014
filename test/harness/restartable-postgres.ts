import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  createDatabase,
  databaseUrl,
  type EmbeddedPostgresOptions,
  findFreePort,
  type RunningPostgres,
  startEmbeddedPostgres,
} from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/migrations";
import { type SeedUser, seedUsers } from "../../scripts/lib/seed-users";
import { freshClusterCopy } from "./cluster-cache";
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
const DATABASE = "outage";

/** A stopped cluster that every restartable Postgres of the run starts from: its data directory is copied. */
export interface PostgresTemplate {
  dataDir: string;
  dispose(): Promise<void>;
}

/**
 * Made once per run (global setup): `initdb`, the migrations and the seeded users cost seconds of CPU,
 * a copy of the stopped cluster a fraction of one. The data directory is the mkdtemp folder itself
 * (see embedded-postgres.ts on running as root).
 */
export async function createPostgresTemplate(): Promise<PostgresTemplate> {
  const dataDir = await freshClusterCopy("product-service-outage-template-");
  const server = await startEmbeddedPostgres({ dataDir, port: await findFreePort(), persistent: true, fast: true });
  try {
    const databaseUrl = await createDatabase(server.adminUrl, DATABASE);
    await applyMigrations(databaseUrl);
    await seedUsers(databaseUrl, [user]);
    // The run's test users too: the suites' tokens speak for them, and admin operations check the stored user.
    await seedTestUsers(databaseUrl);
  } finally {
    await server.stop();
  }
  return { dataDir, dispose: () => fs.rm(dataDir, { recursive: true, force: true }) };
}

/**
 * Not the run's shared server: stopping that would break every other test. A copy of `template`
 * (createPostgresTemplate), persistent so a restart finds the same cluster.
 */
export async function startRestartablePostgres(template: string): Promise<RestartablePostgres> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "product-service-outage-"));
  await fs.cp(template, dataDir, { recursive: true });
  const options: EmbeddedPostgresOptions = { dataDir, port: await findFreePort(), persistent: true, fast: true };
  let server: RunningPostgres | undefined = await startEmbeddedPostgres(options);
  return {
    databaseUrl: databaseUrl(server.adminUrl, DATABASE),
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
