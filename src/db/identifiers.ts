/** Postgres cuts identifiers (statement and constraint names included) to 63 bytes, at a character's end. */
export const MAX_IDENTIFIER_BYTES = 63;

const bytes = (name: string) => new TextEncoder().encode(name).length;

/** True when Postgres would cut `name` short. */
export const isOverlongIdentifier = (name: string) => bytes(name) > MAX_IDENTIFIER_BYTES;

/** `name` as Postgres keeps it, and reports it (a violated constraint's name, say). */
export function asPostgresKeepsIt(name: string): string {
  let kept = name;
  while (bytes(kept) > MAX_IDENTIFIER_BYTES) kept = kept.slice(0, -1);
  return kept;
}
