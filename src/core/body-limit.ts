import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./errors";

/**
 * Rejects bodies over the limit before anything parses them.
 *
 * Most requests are settled without touching the body: a GET or HEAD has none
 * (a Fetch Request cannot carry one), and a Content-Length without
 * Transfer-Encoding is compared as a number. Anything else (a chunked or
 * length-less body) is counted as it streams, by Hono's bodyLimit. The cheap
 * paths come first because asking for `c.req.raw.body` makes Node's adapter
 * build a whole Fetch Request, which cost a GET more CPU than the rest of its
 * middleware together.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new ApiError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  };
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") return next();
    const declared = c.req.header("content-length");
    if (declared === undefined || c.req.header("transfer-encoding") !== undefined) return streamed(c, next);
    return Number(declared) > maxBytes ? tooLarge() : next();
  };
}
