/** Strong entity tag of a versioned resource: changes exactly when `version` does. */
export const etagFor = (id: string, version: number): string => `"${id}.${version}"`;

/** Versions live in a Postgres `integer` column. */
const MAX_VERSION = 2_147_483_647;

const opaqueTag = (tag: string) => tag.trim().replace(/^W\//, "");

/** Splits an `If-Match`/`If-None-Match` list; `*` matches any current representation. */
function tags(header: string): string[] {
  return header
    .split(",")
    .map(opaqueTag)
    .filter((tag) => tag.length > 0);
}

/** If-None-Match uses weak comparison (RFC 9110 §13.1.2). */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return tags(header).some((tag) => tag === "*" || tag === etag);
}

/**
 * The version an `If-Match` header pins, or undefined when absent or `*`.
 * Returns null when the header names no tag of this resource: a sure 412.
 */
export function pinnedVersion(header: string | undefined, id: string): number | undefined | null {
  if (header === undefined) return undefined;
  const list = header.split(",").map((tag) => tag.trim());
  if (list.includes("*")) return undefined;
  // A weak tag never matches under If-Match's strong comparison.
  for (const tag of list) {
    const match = /^"([0-9a-f-]{36})\.(\d{1,10})"$/.exec(tag);
    // `version` is a Postgres integer: a larger one names no version that can exist (and as a
    // parameter it would make Postgres raise 22003, a 500 before), so it can only mismatch.
    if (match && match[1] === id && Number(match[2]) <= MAX_VERSION) return Number(match[2]);
  }
  return null;
}
