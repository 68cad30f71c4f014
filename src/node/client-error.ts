import { type Server, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { ProblemCode } from "../core/errors";
import { transportProblem } from "./transport-problem";

/** How long a refused client may take to read the answer and hang up before its socket is destroyed. */
const LINGER_MS = 2_000;

/** Node's parser errors that have a problem code of their own; every other one is a malformed request (400). */
const refusals: Record<string, { code: ProblemCode; detail: string }> = {
  HPE_HEADER_OVERFLOW: { code: "headers_too_large", detail: "The request's header fields are larger than the server accepts." },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    code: "payload_too_large",
    detail: "The request's chunk extensions are larger than the server accepts.",
  },
  ERR_HTTP_REQUEST_TIMEOUT: { code: "request_timeout", detail: "The request did not arrive in full in time." },
};
const malformed = { code: "bad_request", detail: "The request is not valid HTTP/1.1" } as const;

/** The parts of a parse error Node documents for `clientError` (`code`, the bytes it failed on, llhttp's reason). */
type ClientError = Error & { code?: string; reason?: string; rawPacket?: Buffer };

/**
 * Answers the requests Node's HTTP parser refuses (headers over 16 KB, a bad or doubled
 * Content-Length, Content-Length with Transfer-Encoding, a broken chunk) with the app's
 * problem+json instead of Node's bare 400/431, then closes the connection.
 */
export function answerClientErrors(server: Server, publicUrl: string | undefined): void {
  const answered = new WeakSet<Duplex>();
  server.on("clientError", (error: ClientError, socket: Duplex) => {
    // A parser stays failed: every later chunk on the socket reports again.
    if (answered.has(socket)) return;
    answered.add(socket);
    // As Node's default: answer only on a writable socket where no response has started.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent: boolean } })._httpMessage;
    if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const refusal = (error.code && refusals[error.code]) || {
      code: malformed.code,
      detail: error.reason ? `${malformed.detail}: ${error.reason}.` : `${malformed.detail}.`,
    };
    const problem = transportProblem(refusal.code, refusal.detail, { publicUrl, path: requestPath(error.rawPacket) });
    const head = [`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}`];
    const headers = { ...problem.headers, "Content-Length": String(Buffer.byteLength(problem.body)) };
    for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
    // Half-close, so the client can read the answer; whatever it still sends is read and dropped until it hangs up.
    socket.end(`${head.join("\r\n")}\r\n\r\n${problem.body}`);
    const hangUp = setTimeout(() => socket.destroy(), LINGER_MS);
    hangUp.unref();
    socket.once("close", () => clearTimeout(hangUp));
  });
}

/** The path of the request line, when the bytes the parser failed on begin with one. */
function requestPath(rawPacket: Buffer | undefined): string | undefined {
  const line = rawPacket?.subarray(0, 2_100).toString("latin1");
  return line ? /^[A-Z]+ (\/[^\s?#]{0,2048})[^\r\n]* HTTP\/1\.[01]\r?\n/.exec(line)?.[1] : undefined;
}
