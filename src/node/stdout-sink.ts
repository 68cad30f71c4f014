import type { LogSink } from "../core/logger";

interface LineStream {
  write(text: string): unknown;
}

/**
 * Log lines written to stdout once per event-loop turn instead of once each.
 *
 * Node writes to a file or pipe synchronously, one system call per write, and
 * under load several responses finish in the same turn: one write for all of
 * them costs less CPU than the line itself. Lines still leave within the turn
 * (setImmediate), and whatever is pending when the process exits is written
 * then, so a crash or `process.exit` loses none.
 */
export function batchedLineSink(stream: LineStream = process.stdout): LogSink {
  let pending = "";
  const flush = () => {
    if (pending === "") return;
    const text = pending;
    pending = "";
    stream.write(text);
  };
  process.once("exit", flush);
  return (line) => {
    if (pending === "") setImmediate(flush);
    pending += `${line}\n`;
  };
}
