/**
 * Cancelling a running statement the way the proxy does when the HTTP client
 * goes away (`cancel_token.cancel_query`, sql_over_http.rs): a CancelRequest
 * on a new TCP connection to Postgres, naming the backend by its process id
 * and secret key (both from BackendKeyData at start-up).
 */
import net from "node:net";
import type pg from "pg";

/** CancelRequest code (protocol 3.0): 1234 << 16 | 5678. */
const CANCEL_REQUEST_CODE = 80877102;

/** node-postgres keeps BackendKeyData on the client as `processID` / `secretKey` (not in its type declarations). */
function backendKey(client: pg.ClientBase): { pid: number; secret: number } | undefined {
  const pid: unknown = Reflect.get(client, "processID");
  const secret: unknown = Reflect.get(client, "secretKey");
  return typeof pid === "number" && typeof secret === "number" ? { pid, secret } : undefined;
}

/** Resolves once the request is sent (or could not be); Postgres answers a CancelRequest by closing. */
export function sendCancelRequest(client: pg.ClientBase, host: string, port: number): Promise<void> {
  const key = backendKey(client);
  if (!key) return Promise.resolve();
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(key.pid, 8);
  packet.writeInt32BE(key.secret, 12);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port }, () => socket.end(packet));
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on("error", () => resolve());
    socket.on("close", () => resolve());
  });
}
