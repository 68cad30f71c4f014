/**
 * The built Worker (`wrangler deploy --dry-run` output) served by workerd itself,
 * the runtime Cloudflare runs it on, for the edge benchmark.
 *
 * Not `wrangler dev`: its local pipeline (Miniflare's entry, proxy and asset
 * workers, request logging back to Node) costs 8–10 ms a request on the bench
 * machine, against 0.6 ms for workerd serving a Worker directly: at a 20 ms RTT
 * that alone is half a round trip the deployed Worker never pays. What workerd
 * runs here is the deployed bundle with the same compatibility date and flags;
 * only the static assets and the optional bindings (rate limiting, Analytics
 * Engine) are left out, which the Worker does without.
 */
import { spawn } from "node:child_process";
import { openSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { waitForHealth } from "./bench-server";

export interface RunningWorkerd {
  baseUrl: string;
  stop(): Promise<void>;
}

/** wrangler.toml's `compatibility_date` and `compatibility_flags`: what every Worker the bench runs is built and run with. */
export async function workerCompatibility(repoRoot: string): Promise<{ date: string; flags: string[] }> {
  const toml = await readFile(path.join(repoRoot, "wrangler.toml"), "utf8");
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1];
  if (!date) throw new Error("wrangler.toml has no compatibility_date");
  return { date, flags: [...(flags ?? "").matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? "") };
}

/** A workerd config (Cap'n Proto text): the Worker on 127.0.0.1:port, text bindings, fetch to loopback allowed. */
export function workerdConfig(options: { port: number; date: string; flags: string[]; vars: Record<string, string> }): string {
  // JSON string literals are valid Cap'n Proto text literals for these values (no control characters).
  const text = (value: string) => JSON.stringify(value);
  const bindings = Object.entries(options.vars)
    .map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`)
    .join(", ");
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # The local /sql endpoint (through the delay proxy) is on loopback.
    (name = "network", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = ${text(`127.0.0.1:${options.port}`)}, http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = ${text(options.date)},
  compatibilityFlags = [${options.flags.map(text).join(", ")}],
  bindings = [${bindings}],
  globalOutbound = "network",
);
`;
}

/** Serves `bundleDir/worker.js` with workerd until `stop`; resolves once `/health` answers. */
export async function startWorkerd(options: {
  repoRoot: string;
  bundleDir: string;
  port: number;
  vars: Record<string, string>;
  logFile: string;
}): Promise<RunningWorkerd> {
  const { date, flags } = await workerCompatibility(options.repoRoot);
  const configFile = path.join(options.bundleDir, "workerd.capnp");
  await writeFile(configFile, workerdConfig({ port: options.port, date, flags, vars: options.vars }));
  const workerd = path.join(options.repoRoot, "node_modules", ".bin", "workerd");
  const log = openSync(options.logFile, "w");
  const child = spawn(workerd, ["serve", configFile], { cwd: options.bundleDir, stdio: ["ignore", log, log] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await exited;
  };
  const baseUrl = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHealth(baseUrl, child, 30_000, `workerd (log: ${options.logFile})`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}
