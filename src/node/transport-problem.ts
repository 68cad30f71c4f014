import { randomUUID } from "node:crypto";
import { type ProblemCode, problemStatus } from "../core/errors";
import { PROBLEM_CONTENT_TYPE, problemBody } from "../core/problem";
import { API_CSP } from "../core/security-headers";

/** An answer the Node server gives by itself, to a request it could not hand to the app. */
export interface TransportProblem {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The app's problem+json (same `type`, title and request id) for a request the app never saw: it
 * failed to parse, or could not become a Fetch Request. The connection is closed after it: what
 * follows such a request on the wire cannot be trusted to start a new one.
 */
export function transportProblem(
  code: ProblemCode,
  detail: string,
  { publicUrl, path }: { publicUrl: string | undefined; path?: string | undefined },
): TransportProblem {
  const requestId = randomUUID();
  const status = problemStatus[code];
  // The path when the request line could be read; otherwise the occurrence itself (RFC 9457 §3.1.5).
  const body = problemBody(code, detail, { publicUrl, instance: path ?? `urn:uuid:${requestId}`, requestId });
  return {
    status,
    headers: {
      "Content-Type": PROBLEM_CONTENT_TYPE,
      "X-Request-Id": requestId,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": API_CSP,
      // Like every problem the app answers: nothing may keep it.
      "Cache-Control": "no-store",
      Pragma: "no-cache",
      Connection: "close",
    },
    body: JSON.stringify(body),
  };
}
