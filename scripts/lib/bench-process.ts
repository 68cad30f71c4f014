/**
 * CPU time and resident memory of another process, read from the kernel's own
 * accounting of that process: the server under test needs no code for it.
 *
 * Linux: /proc/<pid>/stat (utime + stime, in clock ticks) and /proc/<pid>/status
 * (VmRSS). Elsewhere: `ps -o time=,rss=` (coarser: CPU time in 10 ms steps on macOS).
 * Both count every thread of the process (the JS thread, libuv's pool, V8's GC
 * helpers), which is what the server really costs.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessSample {
  /** User + system CPU time since the process started, in milliseconds. */
  cpuMs: number;
  /** The system (kernel) part of `cpuMs`: socket writes and reads, mostly. */
  systemMs: number;
  /** Resident set size, in bytes. */
  rssBytes: number;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** "pid (comm) state ppid …": comm may contain spaces, so fields are counted after the last ")" (state is 0, ppid 1). */
const statFields = (stat: string) => stat.slice(stat.lastIndexOf(")") + 2).split(" ");

function fromProc(pid: number): ProcessSample {
  const fields = statFields(readFileSync(`/proc/${pid}/stat`, "utf8"));
  // Fields 14 and 15 of proc(5) (utime, stime) are 11 and 12 after "state".
  const [user, system] = [Number(fields[11]), Number(fields[12])];
  const ticks = user + system;
  const rssKb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  if (rssKb === undefined || !Number.isFinite(ticks)) throw new Error(`cannot read /proc/${pid}`);
  return { cpuMs: (ticks * 1000) / clockTicks(), systemMs: (system * 1000) / clockTicks(), rssBytes: Number(rssKb) * 1024 };
}

/** `[[dd-]hh:]mm:ss[.cc]` → milliseconds. */
function parseCpuTime(text: string): number {
  const [days, rest] = text.includes("-") ? text.split("-") : ["0", text];
  const parts = (rest ?? "").split(":").map(Number);
  let seconds = 0;
  for (const part of parts) seconds = seconds * 60 + part;
  return (Number(days) * 86_400 + seconds) * 1000;
}

function fromPs(pid: number): ProcessSample {
  const [time, rss] = execFileSync("ps", ["-o", "time=,rss=", "-p", String(pid)], { encoding: "utf8" })
    .trim()
    .split(/\s+/);
  if (time === undefined || rss === undefined) throw new Error(`ps knows no process ${pid}`);
  // ps gives no split: the system share is unknown (NaN).
  return { cpuMs: parseCpuTime(time), systemMs: Number.NaN, rssBytes: Number(rss) * 1024 };
}

/** One reading of the process's CPU time and RSS. */
export function sampleProcess(pid: number): ProcessSample {
  return process.platform === "linux" ? fromProc(pid) : fromPs(pid);
}

/** The fields after "state" of every process's /proc/<pid>/stat, read once (Linux only; empty elsewhere). */
function allStats(): Map<number, string[]> {
  const stats = new Map<number, string[]>();
  if (process.platform !== "linux") return stats;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      stats.set(Number(entry), statFields(readFileSync(`/proc/${entry}/stat`, "utf8")));
    } catch {
      // exited while we looked
    }
  }
  return stats;
}

/** The direct children of a process (Postgres: its backends and helpers). */
export function childrenOf(rootPid: number): number[] {
  return [...allStats()].filter(([, fields]) => Number(fields[1]) === rootPid).map(([pid]) => pid);
}

/**
 * CPU ms of a process and all its children (Postgres: the postmaster and one backend per
 * connection). Linux only; NaN elsewhere. Backends that exited between two samples take
 * their time with them, so compare samples over periods where connections stay open.
 */
export function sampleTreeCpuMs(rootPid: number): number {
  if (process.platform !== "linux") return Number.NaN;
  let total = 0;
  for (const [pid, fields] of allStats()) {
    if (pid === rootPid || Number(fields[1]) === rootPid) total += ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
  }
  return total;
}
