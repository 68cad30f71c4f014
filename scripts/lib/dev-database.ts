/**
 * The database of `npm run dev`: the user's own (DATABASE_URL) or an embedded
 * Postgres whose data survives restarts, migrated and seeded before the app starts.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { seedDemoProducts } from "./demo-products";
import type { DevSettings } from "./dev-settings";
import { createDatabase, type RunningPostgres, startEmbeddedPostgres } from "./embedded-postgres";
import { applyMigrations } from "./migrations";
import { developmentUsers, seedUsers } from "./seed-users";

export const DEV_DATABASE_NAME = "product_service";

export interface DevDatabase {
  url: string;
  /** The embedded server this script started; undefined when the user brought a database. */
  server: RunningPostgres | undefined;
  /** Human-readable origin for the summary line. */
  description: string;
}

/**
 * As root, Postgres runs as an unprivileged user (see embedded-postgres.ts),
 * which needs search (x) permission on every folder above its data directory.
 * A clone under e.g. /root fails that test. We only trust the "others" bit:
 * it may send a reachable repository to the fallback needlessly, never the reverse.
 */
async function parentsReachableByOthers(dataDir: string): Promise<boolean> {
  // The data directory itself belongs to that user (the library chowns it): only its parents matter.
  let current = path.dirname(path.resolve(dataDir));
  for (;;) {
    try {
      const stat = await fs.stat(current);
      if (stat.isDirectory() && (stat.mode & 0o001) === 0) return false;
    } catch {
      // Not created yet: it will be, with mode 0755 (see ensureTraversable).
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/** A persistent folder outside the repository, one per clone so two clones never share a cluster. */
function fallbackDataDir(repoRoot: string): string {
  const clone = createHash("sha256").update(repoRoot).digest("hex").slice(0, 8);
  return path.join(os.tmpdir(), `product-service-dev-data-${clone}`);
}

/** `mkdir -p` with 0755 whatever the umask, so Postgres' user can pass through as root. */
async function ensureTraversable(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.chmod(dir, 0o755);
}

/** `.data/postgres` in the repository (git-ignored), unless root's Postgres user cannot reach it. */
async function chooseDataDir(settings: DevSettings): Promise<string> {
  if (settings.dataDir !== undefined) return path.resolve(settings.dataDir);
  const inRepo = path.join(settings.repoRoot, ".data", "postgres");
  if (process.getuid?.() !== 0) return inRepo;
  if (await parentsReachableByOthers(inRepo)) {
    await ensureTraversable(path.dirname(inRepo));
    return inRepo;
  }
  const fallback = fallbackDataDir(settings.repoRoot);
  console.log(`dev: running as root and ${settings.repoRoot} is not reachable by the postgres user: data kept in ${fallback}`);
  return fallback;
}

/** Whether something listens on this loopback port. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function startEmbedded(settings: DevSettings): Promise<DevDatabase> {
  // Without this, the start-up probe could reach the Postgres already on the port (same
  // credentials: another `npm run dev`) and take it for ours while ours fails to bind.
  if (await acceptsConnections(settings.postgresPort)) {
    throw new Error(
      `Something already listens on 127.0.0.1:${settings.postgresPort} (another \`npm run dev\`?). ` +
        "Stop it, or set DEV_PG_PORT to another port.",
    );
  }
  const dataDir = await chooseDataDir(settings);
  let server: RunningPostgres;
  try {
    server = await startEmbeddedPostgres({ dataDir, port: settings.postgresPort, persistent: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The usual cause is a second `npm run dev` (or another Postgres) on the fixed port.
    if (/could not bind|Address already in use|postmaster\.pid/i.test(message)) {
      throw new Error(
        `${message}\n\nPort ${settings.postgresPort} or the data directory ${dataDir} is in use: ` +
          "stop the other `npm run dev`, or set DEV_PG_PORT and DEV_DATA_DIR.",
        { cause: error },
      );
    }
    throw error;
  }
  try {
    const url = await createDatabase(server.adminUrl, DEV_DATABASE_NAME);
    const shownDir = path.relative(settings.repoRoot, dataDir).startsWith("..") ? dataDir : path.relative(settings.repoRoot, dataDir);
    return { url, server, description: `embedded Postgres (pid ${server.pid}, data in ${shownDir})` };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * Start (or adopt) the database, apply migrations and, for the embedded one,
 * seed demo products and the development users. A user's database is migrated but not seeded: it may be
 * a shared Neon branch where demo rows would be unwelcome (`npm run db:seed` adds them).
 */
export async function prepareDevDatabase(settings: DevSettings): Promise<DevDatabase & { seeded: number | undefined }> {
  const database: DevDatabase =
    settings.userDatabaseUrl === undefined
      ? await startEmbedded(settings)
      : { url: settings.userDatabaseUrl, server: undefined, description: `DATABASE_URL from ${settings.userDatabaseSource}` };
  try {
    await applyMigrations(database.url).catch((error: unknown) => {
      throw new Error(`Applying migrations to ${database.description} failed: ${error instanceof Error ? error.message : error}`, {
        cause: error,
      });
    });
    const seeded = database.server === undefined ? undefined : await seedDemoProducts(database.url);
    if (database.server !== undefined) await seedUsers(database.url, developmentUsers);
    return { ...database, seeded };
  } catch (error) {
    await database.server?.stop();
    throw error;
  }
}
