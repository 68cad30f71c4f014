import { ServerResponse } from "node:http";
import type { Http2Bindings, HttpBindings } from "@hono/node-server";

type NodeFetch = (request: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response>;

/**
 * An answer given before the request's body was fully received (a 413, a 408) says
 * `Connection: close`, and Node closes the connection once that answer is written.
 *
 * The unread rest of the body stands between this answer and the next request on the
 * connection. The adapter tries to drain it (for 500 ms) and then closes the socket while
 * the answer had announced keep-alive, so a client reusing the connection met "other side
 * closed". Told to close, it opens a new connection instead (RFC 9112 §9.6).
 */
export function closeAfterEarlyAnswers(fetch: NodeFetch): NodeFetch {
  return async (request, env) => {
    const response = await fetch(request, env);
    // HTTP/2 has no Connection header (nor this problem): only HTTP/1 responses are ServerResponses.
    if (env.outgoing instanceof ServerResponse && !env.incoming.complete) env.outgoing.setHeader("Connection", "close");
    return response;
  };
}
