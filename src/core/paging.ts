import type { Context } from "hono";

/** A list's query after validation: only the parameters its schema knows, with their parsed values. */
export type ValidatedQuery = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * RFC 8288 `Link: <…>; rel="next"`: the same list with the next cursor. Built
 * from the validated `query` only, never from the request's query string, so
 * unknown parameters (of any length) are not echoed into a header.
 */
export function setNextLink(c: Context, query: ValidatedQuery, nextCursor: string | null): void {
  if (!nextCursor) return;
  const next = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && name !== "cursor") next.set(name, String(value));
  }
  next.set("cursor", nextCursor);
  c.header("Link", `<${new URL(c.req.url).pathname}?${next}>; rel="next"`);
}
