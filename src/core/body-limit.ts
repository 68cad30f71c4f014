import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./errors";

/**
 * Receives the whole request body, within `maxBytes` and `waitMs`, before the
 * rest of the chain runs.
 *
 * Reading it first tells waiting for the client from waiting for the server: a
 * body that stalls (a Content-Length that promises more than arrives) is the
 * client's fault and answers 408 `request_timeout`, while the request budget
 * (`timeBudget`, after this) covers only the server's own work and answers 503.
 * It also means no later answer (a 401, a 404) is given with the body still on
 * the wire, which would leave the connection unusable for the next request.
 *
 * A GET or HEAD is passed through untouched: it has no body (a Fetch Request
 * cannot carry one), and asking for `c.req.raw.body` makes Node's adapter build
 * a whole Fetch Request, which cost a GET more CPU than the rest of its
 * middleware together. A declared Content-Length over the limit is refused
 * without reading a byte; a chunked or length-less body is counted as it
 * streams, by Hono's bodyLimit.
 */
export function limitBody(maxBytes: number, waitMs: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new ApiError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  };
  // Counts a streamed body and replaces the request with one over the buffered bytes (a declared length it only compares).
  const counted = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  const receive: MiddlewareHandler = async (c, next) => {
    const declared = c.req.header("content-length");
    if (declared === undefined || c.req.header("transfer-encoding") !== undefined) return counted(c, next);
    if (Number(declared) > maxBytes) return tooLarge();
    // Kept in Hono's body cache, which every later c.req.json()/text() reads. A declared length is
    // enforced by the runtime (never more is handed over; a short body never ends: that is the stall).
    await c.req.arrayBuffer();
    return next();
  };
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || c.req.header("content-length") === "0") return next();
    await within(
      waitMs,
      receive(c, async () => {}),
    );
    return next();
  };
}

/** Waits for `work`, or answers 408 once `waitMs` pass without it settling (the client stopped sending). */
async function within(waitMs: number, work: Promise<unknown>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ApiError("request_timeout", `The request body did not arrive in full within ${waitMs} ms.`)),
      waitMs,
    );
  });
  try {
    await Promise.race([work, stalled]);
  } finally {
    clearTimeout(timer);
  }
}
