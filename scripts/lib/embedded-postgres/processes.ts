/** Spawning `initdb`, `postgres` and checks as the user Postgres runs as, and capturing their output. */
import { type ChildProcess, spawn } from "node:child_process";
import os from "node:os";
import type { RunAsUser } from "./users";

/** Keep this many server output lines to explain start-up failures. */
const LOG_TAIL_LINES = 40;

export interface SpawnContext {
  runAs: RunAsUser | undefined;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function spawnAs(file: string, args: string[], context: SpawnContext): ChildProcess {
  return spawn(file, args, {
    cwd: context.cwd,
    env: context.env,
    stdio: ["ignore", "pipe", "pipe"],
    ...(context.runAs ? { uid: context.runAs.uid, gid: context.runAs.gid } : {}),
  });
}

export function waitForExit(child: ChildProcess): Promise<ExitResult> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

/** Forward a child's output, line by line, to `log` and to a bounded tail buffer. */
export function captureOutput(child: ChildProcess, tail: string[], log: ((line: string) => void) | undefined): void {
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

/**
 * Check, as the user Postgres will run as, that `dir` can be entered and
 * written. With `uid`/`gid` set, Node (libuv) drops supplementary groups, so
 * this is exactly the access the server will have.
 */
export async function assertUsableBy(dir: string, context: SpawnContext, shownAs = dir): Promise<void> {
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
