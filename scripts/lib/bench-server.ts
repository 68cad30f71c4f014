/**
 * The built Node server (`dist/server.js`, what the Docker image runs) as a child
 * process of its own, so that its CPU time and memory are its own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { openSync } from "node:fs";
import path from "node:path";

export interface BenchServer {
  pid: number;
  baseUrl: string;
  /** SIGTERM (graceful shutdown; a --cpu-prof profile is written then), SIGKILL after 15 s. */
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  repoRoot: string;
  databaseUrl: string;
  port: number;
  /** stdout and stderr of the server (one JSON log line per request, as in production). */
  logFile: string;
  /** When set, `node --cpu-prof` writes the server's profile into this folder at shutdown. */
  cpuProfileDir?: string | undefined;
}

/** Polls `baseUrl/health` until it answers 200; fails when `child` (named `what` in errors) exits first or after `timeoutMs`. */
export async function waitForHealth(baseUrl: string, child: ChildProcess, timeoutMs: number, what = "the server"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} before answering /health`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not answer ${baseUrl}/health within ${timeoutMs} ms`);
}

/** Starts `node --enable-source-maps dist/server.js` (the Dockerfile's CMD) in production mode. */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const log = openSync(options.logFile, "w");
  const profile = options.cpuProfileDir ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir] : [];
  const child = spawn(process.execPath, [...profile, "--enable-source-maps", path.join(options.repoRoot, "dist", "server.js")], {
    cwd: options.repoRoot,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      ENVIRONMENT: "production",
      // A secret of this run only: production mode refuses the development key.
      JWT_SECRET: randomBytes(48).toString("base64"),
      // Production mode requires it too (it guards /metrics, which the bench does not scrape).
      METRICS_TOKEN: randomBytes(24).toString("hex"),
      DATABASE_URL: options.databaseUrl,
      PORT: String(options.port),
      BUILD_VERSION: "bench",
    },
    stdio: ["ignore", log, log],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHealth(baseUrl, child, 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.pid === undefined) throw new Error("the server has no pid");
  return { pid: child.pid, baseUrl, stop };
}

/** Logs in once, as a client would: POST /api/v1/auth/token (form-encoded password grant). */
export async function fetchToken(baseUrl: string, user: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "password", username: user.email, password: user.password }),
  });
  if (response.status !== 200) throw new Error(`POST /api/v1/auth/token answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
