/**
 * The app process of `npm run dev` (wrangler dev or the Node server) and the
 * guarantee that nothing it started outlives it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { DevSettings } from "./dev-settings";
import { delay } from "./embedded-postgres/helpers";
import { type ExitResult, waitForExit } from "./embedded-postgres/processes";

export type { ExitResult };

export interface AppProcess {
  /** Settles once the app has exited and none of its descendants is left. */
  exited: Promise<ExitResult>;
  /** Forward `signal`, wait (SIGKILL after `graceMs`), then kill any descendant left behind. */
  stop(signal: NodeJS.Signals, graceMs?: number): Promise<ExitResult>;
  /** Second Ctrl-C: do not wait any longer. */
  kill(): void;
}

export interface AppTarget {
  databaseUrl: string;
  /** Set when the Neon driver inside workerd must go through the local `/sql` endpoint. */
  neonHttpEndpoint: string | undefined;
  /** wrangler reads `.dev.vars` itself: passing the URL again would only show it in `ps`. */
  databaseUrlInDevVars: boolean;
}

function bin(settings: DevSettings, name: string): string {
  return path.join(settings.repoRoot, "node_modules", ".bin", name);
}

/** Child env whose PATH finds the project's Node (the `node` devDependency) first, as `npm run` does. */
function childEnv(settings: DevSettings, extra: Record<string, string>): NodeJS.ProcessEnv {
  const binDir = path.join(settings.repoRoot, "node_modules", ".bin");
  return { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`, ...extra };
}

/**
 * ENVIRONMENT has no default (a deploy that forgets it must not become development), so the
 * dev script names it: a fresh clone with nothing set still starts.
 */
const DEV_ENVIRONMENT = "development";

function wranglerArgs(settings: DevSettings, target: AppTarget): string[] {
  // wrangler splits --var on the first ":" only, so URLs pass through intact.
  const vars = [
    `ENVIRONMENT:${DEV_ENVIRONMENT}`,
    ...(target.databaseUrlInDevVars ? [] : [`DATABASE_URL:${target.databaseUrl}`]),
    ...(target.neonHttpEndpoint === undefined ? [] : [`NEON_HTTP_ENDPOINT:${target.neonHttpEndpoint}`]),
  ];
  return ["dev", "--port", String(settings.appPort), "--ip", "127.0.0.1", ...vars.flatMap((v) => ["--var", v])];
}

/**
 * wrangler stays in our process group with the terminal as stdin, so its
 * hotkeys work; a Ctrl-C then reaches it twice (terminal + our forward),
 * which it handles. The Node server is put in its own group instead: its
 * SIGINT handler runs once, and a second SIGINT would cut its graceful drain short.
 */
function spawnChild(settings: DevSettings, target: AppTarget): ChildProcess {
  if (settings.runtime === "workers") {
    return spawn(bin(settings, "wrangler"), wranglerArgs(settings, target), {
      cwd: settings.repoRoot,
      env: childEnv(settings, {}),
      stdio: "inherit",
    });
  }
  const env = childEnv(settings, {
    ENVIRONMENT: DEV_ENVIRONMENT,
    DATABASE_URL: target.databaseUrl,
    PORT: String(settings.appPort),
    LOG_LEVEL: settings.logLevel,
    // Human lines in a developer's terminal; LOG_FORMAT=json in the environment keeps JSON.
    LOG_FORMAT: process.env.LOG_FORMAT || "pretty",
  });
  delete env.NEON_HTTP_ENDPOINT; // node-postgres speaks TCP; a leftover endpoint setting means nothing here
  return spawn(bin(settings, "tsx"), ["src/server.ts"], {
    cwd: settings.repoRoot,
    env,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
}

interface ProcessIdentity {
  pid: number;
  /** Start time in clock ticks since boot: tells a live descendant from a recycled pid. */
  startTime: string;
}

/** pid → (ppid, start time) for every process, from /proc; empty where there is no /proc. */
function processTable(): Map<number, { ppid: number; startTime: string }> {
  const table = new Map<number, { ppid: number; startTime: string }>();
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return table;
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid ..." — comm may hold spaces and parentheses, so split after the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const [state, ppid, startTime] = [fields[0], Number(fields[1]), fields[19]];
      // A zombie has finished; it only waits for its parent (or init) to collect its exit status.
      if (startTime !== undefined && state !== "Z" && state !== "X") table.set(Number(entry), { ppid, startTime });
    } catch {
      // exited while we were looking
    }
  }
  return table;
}

function descendantsOf(rootPid: number): ProcessIdentity[] {
  const table = processTable();
  const found: ProcessIdentity[] = [];
  const queue = [rootPid];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const [candidate, info] of table) {
      if (info.ppid !== pid) continue;
      found.push({ pid: candidate, startTime: info.startTime });
      queue.push(candidate);
    }
  }
  return found;
}

function isStillRunning(identity: ProcessIdentity): boolean {
  return processTable().get(identity.pid)?.startTime === identity.startTime;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim().slice(0, 120);
  } catch {
    return "?";
  }
}

/** How often the app's descendants are listed, so that if the app itself dies we still know their pids. */
const DESCENDANT_REFRESH_MS = 3_000;
/** Grandchildren (workerd, esbuild) get this long to finish exiting after the app has. */
const SURVIVOR_GRACE_MS = 1_000;

/** Remembers every process below `rootPid` it has seen, to kill whichever outlives the app. */
function trackDescendants(rootPid: number | undefined) {
  const seen = new Map<number, ProcessIdentity>();
  const refresh = (): void => {
    if (rootPid === undefined) return;
    for (const identity of descendantsOf(rootPid)) seen.set(identity.pid, identity);
  };
  const timer = setInterval(refresh, DESCENDANT_REFRESH_MS);
  timer.unref();
  refresh();

  /** Resolves with a description of each process that had to be killed: none when the app cleaned up after itself. */
  const killSurvivors = async (): Promise<string[]> => {
    clearInterval(timer);
    const deadline = Date.now() + SURVIVOR_GRACE_MS;
    let survivors = [...seen.values()].filter(isStillRunning);
    while (survivors.length > 0 && Date.now() < deadline) {
      await delay(50);
      survivors = survivors.filter(isStillRunning);
    }
    const killed: string[] = [];
    for (const { pid } of survivors) {
      const name = commandOf(pid);
      try {
        process.kill(pid, "SIGKILL");
        killed.push(`${pid} (${name})`);
      } catch {
        // exited meanwhile
      }
    }
    return killed;
  };
  return { refresh, killSurvivors };
}

/** The Node server has its own process group: if this script dies, take the group down with it. */
function killGroupOnExit(child: ChildProcess): () => void {
  const pid = child.pid;
  const onExit = (): void => {
    if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.once("exit", onExit);
  return () => process.removeListener("exit", onExit);
}

export function startApp(settings: DevSettings, target: AppTarget): AppProcess {
  const child = spawnChild(settings, target);
  const descendants = trackDescendants(child.pid);
  const releaseGroupGuard = settings.runtime === "node" ? killGroupOnExit(child) : () => undefined;

  const exited = waitForExit(child).then(async (result) => {
    releaseGroupGuard();
    const killed = await descendants.killSurvivors();
    if (killed.length > 0) console.error(`dev: killed what the app left running: ${killed.join(", ")}`);
    return result;
  });

  return {
    exited,
    async stop(signal, graceMs = 15_000) {
      descendants.refresh();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    kill() {
      descendants.refresh();
      child.kill("SIGKILL");
    },
  };
}
