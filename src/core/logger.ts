export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const severity: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogSink = (line: string) => void;

/** Turns a redacted record into one line: JSON by default, `formatPretty` for local development. */
export type LogFormat = (record: LogFields) => string;

// Keys whose values are never written, wherever they appear in a log record.
const secretKey = /authorization|cookie|password|secret|token|database_?url|connectionstring/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    const code = (value as Error & { code?: unknown }).code;
    return {
      name: value.name,
      message: value.message,
      ...(typeof code === "string" ? { code } : {}),
      stack: value.stack,
      ...(value.cause === undefined ? {} : { cause: redact(value.cause, depth + 1) }),
    };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  // for…in with hasOwn rather than Object.entries: this runs on every request's log line.
  const out: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (Object.hasOwn(record, key)) out[key] = secretKey.test(key) ? "[redacted]" : redact(record[key], depth + 1);
  }
  return out;
}

/**
 * One JSON object per line: readable by Workers Logs (console) and by any
 * log shipper on Node (stdout). Keys that look like secrets are redacted.
 */
export function createLogger(level: LogLevel, sink: LogSink = console.log, format: LogFormat = JSON.stringify): Logger {
  const threshold = severity[level];
  const write = (at: Exclude<LogLevel, "silent">, message: string, fields?: LogFields) => {
    if (severity[at] < threshold) return;
    const record = { time: new Date().toISOString(), level: at, message, ...(redact(fields ?? {}) as LogFields) };
    sink(format(record));
  };
  return {
    debug: (message, fields) => write("debug", message, fields),
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
  };
}
