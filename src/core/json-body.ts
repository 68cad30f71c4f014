import { createMiddleware } from "hono/factory";
import { ApiError } from "./errors";

/** The media types Hono's validator reads as JSON (`application/json`, `application/merge-patch+json`, …). */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Throws on a byte sequence that is not UTF-8, where `Response.text()` would put U+FFFD and go on. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Every escape of a JSON text, in order: `\\` is taken whole, so in `\\ud800` the `ud800` is plain text. */
const ESCAPES = /\\(?:u([0-9a-fA-F]{4})|[\s\S])/g;

/**
 * True when the JSON text escapes a UTF-16 surrogate (`\uD800`–`\uDFFF`) that is
 * not one half of a high-then-low pair. JSON.parse keeps such a lone code unit
 * in the string; no Unicode text has one, and UTF-8 (Postgres) cannot store it.
 */
export function hasLoneSurrogateEscape(text: string): boolean {
  let pairEndsAt = -1; // just after an unpaired high-surrogate escape, else -1
  for (const match of text.matchAll(ESCAPES)) {
    const unit = match[1] === undefined ? -1 : Number.parseInt(match[1], 16);
    const low = unit >= 0xdc00 && unit <= 0xdfff;
    if (pairEndsAt !== -1) {
      if (!low || match.index !== pairEndsAt) return true;
      pairEndsAt = -1;
    } else if (low) {
      return true;
    } else if (unit >= 0xd800 && unit <= 0xdbff) {
      pairEndsAt = match.index + match[0].length;
    }
  }
  return pairEndsAt !== -1;
}

/**
 * Refuses a JSON body that is not Unicode text with 400 `bad_request`, before
 * any handler, validator or idempotency key reads it: invalid UTF-8, or a lone
 * surrogate escape. Both were stored as U+FFFD before. It reads the body
 * through Hono's cache as bytes, so what later `c.req.json()`/`text()` decode
 * is exactly what was checked. Requests without a JSON body pay one header
 * read; GET and HEAD nothing. Register it after the body limit, and before
 * anything reads the body as text (a cached text would hide the bytes).
 *
 * @example app.use("/api/v1/*", refuseNonUnicodeJson);
 */
export const refuseNonUnicodeJson = createMiddleware(async (c, next) => {
  const method = c.req.method;
  if (method === "GET" || method === "HEAD") return next();
  const mediaType = c.req.header("content-type")?.split(";")[0]?.trim();
  if (mediaType === undefined || !JSON_MEDIA_TYPE.test(mediaType)) return next();
  // Hono's body cache: the bytes the body limit already received (or reads them now, once, for everyone after).
  const bytes = await c.req.arrayBuffer();
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ApiError("bad_request", "The request body is not valid UTF-8; JSON must be sent as UTF-8.");
  }
  if (hasLoneSurrogateEscape(text)) {
    throw new ApiError(
      "bad_request",
      "The request body escapes a lone UTF-16 surrogate (\\uD800-\\uDFFF outside a high-low pair), which is not a Unicode character.",
    );
  }
  return next();
});
