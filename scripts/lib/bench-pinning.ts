/**
 * CPU pinning for `npm run bench` (Linux, `taskset`, two CPUs or more): the
 * server under test gets CPU 0 to itself; Postgres and the load generator
 * share the others. On a small machine the scheduler otherwise moves the three
 * over each other's cores, and a phase's figures swing by half from one run
 * to the next; pinned, the server's own cost per request is what is measured.
 */
import { execFileSync } from "node:child_process";
import os from "node:os";
import { childrenOf } from "./bench-process";

export interface Pinning {
  /** How the processes were placed, for the report. */
  description: string;
  /** Pins the server (all its threads) to its core. */
  server(pid: number): void;
  /** Pins a process and its current children (Postgres: the postmaster and its backends; new ones inherit it). */
  others(pid: number): void;
  /** Pins this process only: the load generators it starts inherit the placement. */
  generator(pid: number): void;
  /** Lets a process run anywhere again. */
  release(pid: number): void;
}

const NONE: Pinning = { description: "not pinned", server: () => {}, others: () => {}, generator: () => {}, release: () => {} };

function hasTaskset(): boolean {
  try {
    execFileSync("taskset", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function choosePinning(enabled: boolean): Pinning {
  const cpus = os.availableParallelism();
  if (!enabled || process.platform !== "linux" || cpus < 2 || !hasTaskset()) return NONE;
  const rest = cpus === 2 ? "1" : `1-${cpus - 1}`;
  const pin = (list: string, pid: number) => execFileSync("taskset", ["-a", "-pc", list, String(pid)], { stdio: "ignore" });
  return {
    description: `server on CPU 0; Postgres and load generator on CPU ${rest}`,
    server: (pid) => pin("0", pid),
    others: (pid) => {
      for (const each of [pid, ...childrenOf(pid)]) pin(rest, each);
    },
    generator: (pid) => pin(rest, pid),
    release: (pid) => pin(`0-${cpus - 1}`, pid),
  };
}
