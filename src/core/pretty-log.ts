import type { LogFields } from "./logger";

/**
 * Control characters as escapes (`\n` → `\u000a`): a path may carry a decoded `%0A`,
 * and written raw it would forge a line of its own in the terminal or a log file.
 */
function escapeControls(value: string, keep = ""): string {
  let escaped = "";
  for (const char of value) {
    const code = char.charCodeAt(0);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    escaped += control && !keep.includes(char) ? `\\u${code.toString(16).padStart(4, "0")}` : char;
  }
  return escaped;
}

const text = (value: unknown) => escapeControls(typeof value === "string" ? value : (JSON.stringify(value) ?? String(value)));

const stackOf = (value: unknown) =>
  typeof value === "object" && value !== null && "stack" in value && typeof value.stack === "string" ? value.stack : undefined;

/**
 * `LOG_FORMAT=pretty`: one short human line per record for a developer's
 * terminal (`12:00:00.000 200 GET /api/v1/products 4.2ms db 3.1ms <requestId>`).
 * Gets the record after redaction, so it shows nothing the JSON line would not.
 */
export function formatPretty(record: LogFields): string {
  const time = text(record.time).slice(11, 23);
  if (record.message === "request") {
    const { status, method, path, durationMs, dbTimeMs, requestId } = record;
    return `${time} ${text(status)} ${text(method)} ${text(path)} ${text(durationMs)}ms db ${text(dbTimeMs)}ms ${text(requestId)}`;
  }
  const { time: _time, level, message, error, ...rest } = record;
  const fields = Object.entries(rest)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${text(value)}`);
  // A stack reads better on its own lines than inside a JSON string.
  const stack = stackOf(error);
  const errorPart = error === undefined ? [] : [stack ? `\n${escapeControls(stack, "\n\t")}` : `error=${text(error)}`];
  return [time, text(level).toUpperCase(), text(message), ...fields, ...errorPart].join(" ");
}
