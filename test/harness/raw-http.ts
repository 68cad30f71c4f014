import net from "node:net";

/** One HTTP/1.1 response as it came off the wire. */
export interface RawResponse {
  status: number;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
}

/**
 * A client on a bare TCP socket, for what fetch() and node:http would not send (a header block over
 * 16 KB, Content-Length with Transfer-Encoding, HTTP/1.0 without Host, a body that stops short) or
 * would hide (the server hanging up, which a pooled client only shows on its next request).
 */
export interface RawConnection {
  write(text: string): Promise<void>;
  /** The next complete response on this connection (by its Content-Length). */
  response(): Promise<RawResponse>;
  /** Resolves once the server has closed its side (FIN or reset). */
  readonly serverClosed: Promise<void>;
  close(): void;
}

export function openRaw(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    let waiting: (() => void) | undefined;
    let closed = false;
    const wake = () => waiting?.();
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      wake();
    });
    const serverClosed = new Promise<void>((done) => {
      const onClose = () => {
        closed = true;
        wake();
        done();
      };
      socket.once("end", onClose);
      socket.once("close", onClose);
    });
    // A reset after the server hung up is expected in some of these exchanges; the assertions say what matters.
    socket.on("error", () => {});
    const nextResponse = async (): Promise<RawResponse> => {
      for (;;) {
        const parsed = parseResponse(received);
        if (parsed) {
          received = received.slice(parsed.length);
          return parsed.response;
        }
        if (closed) throw new Error(`the server closed the connection without a complete response (got ${JSON.stringify(received)})`);
        await new Promise<void>((woken) => {
          waiting = woken;
        });
      }
    };
    socket.once("connect", () =>
      resolve({
        write: (text) =>
          new Promise((written) => {
            if (socket.writable) socket.write(text, "latin1", () => written());
            else written();
          }),
        response: nextResponse,
        serverClosed,
        close: () => socket.destroy(),
      }),
    );
    socket.once("error", reject);
  });
}

function parseResponse(text: string): { response: RawResponse; length: number } | undefined {
  const headEnd = text.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const [statusLine = "", ...lines] = text.slice(0, headEnd).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const bodyLength = Number(headers["content-length"] ?? 0);
  if (text.length < headEnd + 4 + bodyLength) return undefined;
  return {
    response: { status: Number(statusLine.split(" ")[1]), headers, body: text.slice(headEnd + 4, headEnd + 4 + bodyLength) },
    length: headEnd + 4 + bodyLength,
  };
}

/** One chunk of a chunked body. */
export const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`;
