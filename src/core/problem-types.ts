import { type ProblemCode, problemStatus, problemTitles } from "./errors";
import { problemType } from "./problem";

/**
 * When each problem happens, in a sentence or two: the description of its response in the OpenAPI
 * document, and what its `type` URI (`GET /problems/{code}`) tells whoever follows it.
 */
export const problemDescriptions: Record<ProblemCode, string> = {
  unauthorized: "Missing, malformed, expired or wrongly signed bearer token (`WWW-Authenticate: Bearer`).",
  forbidden: "The token is valid but its role is too low for this operation.",
  rate_limited: "Too many attempts; wait `Retry-After` seconds.",
  bad_request:
    "Malformed JSON, a JSON body that is not UTF-8 (or escapes a lone surrogate), a malformed header, or a request the HTTP server refuses before routing (Node: a bad `Content-Length`, `Content-Length` with `Transfer-Encoding`, no `Host`).",
  not_found: "No such resource.",
  method_not_allowed: "The path does not support this method; `Allow` lists the methods it does (an `OPTIONS` request gets them with 204).",
  request_timeout: "The request body did not arrive in full in time (`REQUEST_TIMEOUT_MS`, 10 s by default): the client stopped sending.",
  conflict: "The request conflicts with the current state (e.g. a unique field is taken).",
  precondition_failed: "`If-Match` does not match the current version; nothing was changed.",
  payload_too_large:
    "The body is larger than the configured limit (`MAX_BODY_BYTES`, 64 KiB by default). Every method but GET and HEAD has its body received, and measured, first.",
  unsupported_media_type: "The body's `Content-Type` is not one this operation accepts.",
  validation_failed: "A parameter or field is invalid; `errors` lists each one.",
  headers_too_large: "The request's header fields are larger than the server accepts (Node: 16 KiB in all).",
  internal_error: "An unexpected error; the body never contains internals.",
  service_unavailable: "The database is unreachable or slow, or the request outlived its time budget; retry after `Retry-After` seconds.",
};

/** Every problem code, in the order of its status; a tuple, as `z.enum` wants it. */
// Object.keys forgets the keys' type; problemStatus has exactly these, and at least one.
export const problemCodes = Object.keys(problemStatus) as [ProblemCode, ...ProblemCode[]];

export const isProblemCode = (value: string): value is ProblemCode => Object.hasOwn(problemStatus, value);

/** What `GET /problems/{code}` answers: the problem type a problem's `type` names, described for people. */
export function problemTypeDescription(code: ProblemCode, publicUrl: string | undefined) {
  return {
    type: problemType(code, publicUrl),
    code,
    title: problemTitles[code],
    status: problemStatus[code],
    description: problemDescriptions[code],
  };
}
