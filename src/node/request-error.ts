import { RequestError } from "@hono/node-server";
import { transportProblem } from "./transport-problem";

/**
 * The adapter's error handler: a request it cannot turn into a Fetch Request (no Host, a
 * Host or target that makes no URL) is a 400 problem+json instead of its bare 400, and
 * anything else that escapes the app a 500 problem+json instead of a bare 500.
 */
export function refuseUnreadableRequests(publicUrl: string | undefined): (error: unknown) => Response {
  return (error) => {
    const problem =
      error instanceof RequestError
        ? transportProblem("bad_request", `The request cannot be served: ${error.message.toLowerCase()}.`, { publicUrl })
        : transportProblem("internal_error", "An unexpected error occurred. Quote the requestId when reporting it.", { publicUrl });
    return new Response(problem.body, { status: problem.status, headers: problem.headers });
  };
}
