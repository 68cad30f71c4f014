import { type SQL, sql } from "drizzle-orm";

// Postgres' text for a timestamptz in the UTC zone, as it is sent with DateStyle ISO
// (the default): "2026-11-25 09:04:03.12+00". Fractions are trimmed of trailing zeros.
const utcTimestamptz = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;

/**
 * A timestamptz as the API writes instants: RFC 3339 in UTC with milliseconds
 * ("2026-11-25T09:04:03.120Z"), as `Date#toISOString` would give.
 *
 * A session in UTC (Neon's default) takes the fast path: the
 * text is rearranged, not parsed. Any other zone, a year past 9999 or BC goes
 * through `Date`, as Drizzle's own decoder would. A driver that already made a
 * `Date` is formatted.
 */
export function isoInstant(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  const utc = utcTimestamptz.exec(text);
  if (utc) return `${utc[1]}T${utc[2]}.${(utc[3] ?? "").padEnd(3, "0").slice(0, 3)}Z`;
  return new Date(text).toISOString();
}

/**
 * The same text built by Postgres, for answers assembled in SQL (stored idempotent
 * answers): `instantText(sql.raw("created.created_at"))`.
 */
export const instantText = (instant: SQL): SQL => sql`to_char(${instant} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
