import type { Context } from "hono";

/** RFC 8288 `Link: <…>; rel="next"` pointing at the same request with the next cursor. */
export function setNextLink(c: Context, nextCursor: string | null): void {
  if (!nextCursor) return;
  const next = new URL(c.req.url);
  next.searchParams.set("cursor", nextCursor);
  c.header("Link", `<${next.pathname}${next.search}>; rel="next"`);
}
