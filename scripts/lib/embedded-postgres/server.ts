/** Launching the postmaster on a port, waiting until it accepts connections, and stopping it. */
import { promises as fs, rmSync } from "node:fs";
import type { EmbeddedPostgresOptions, RunningPostgres } from "../embedded-postgres";
import { openClient } from "../pg-client";
import type { PostgresBinaries } from "./binaries";
import { delay } from "./helpers";
import { HOST } from "./ports";
import { captureOutput, type SpawnContext, spawnAs, waitForExit } from "./processes";
import { adminUrlFor, setScramIterations } from "./superuser";

/** The server exited because its port was taken: the caller may retry on another one. */
export class BindError extends Error {}

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

/** Spawn the postmaster on `port` and wait until it accepts connections. */
export async function launch(
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
