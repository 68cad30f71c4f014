/**
 * WebSocket -> TCP bridge that lets `@neondatabase/serverless` (in workerd or
 * Node) reach a local Postgres. It plays the role of Neon's WebSocket proxy:
 *
 *   neonConfig.wsProxy = (host, port) => `${bridge.proxyHost}?address=${host}:${port}`
 *   neonConfig.useSecureWebSocket = false
 *   neonConfig.pipelineTLS = false
 *   neonConfig.pipelineConnect = false
 *
 * The driver then opens `ws://127.0.0.1:PORT/v1?address=<host>:<port>`; the
 * bridge connects to that address over TCP and copies bytes both ways (one
 * binary frame per chunk).
 *
 * Development and test tool only: it listens on 127.0.0.1 and forwards only
 * to `allowedHosts` (loopback by default), never to arbitrary addresses.
 *
 * The Neon client never closes its own WebSocket when a Client/Pool ends: it
 * just sends the Postgres Terminate message. So the bridge follows the
 * client's message stream and hangs up after Terminate; otherwise every
 * ended connection would stay open on both sides.
 */
import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import { type RawData, type WebSocket, WebSocketServer } from "ws";

export interface WebSocketBridgeOptions {
  /** Port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  /** Hosts the bridge may connect to. Default ['127.0.0.1', 'localhost']. */
  allowedHosts?: string[];
  /** Diagnostics (refused upgrades, socket errors). Default: silent. */
  log?: (line: string) => void;
}

export interface WebSocketBridge {
  port: number;
  /** Value for a neonConfig.wsProxy-style setting, e.g. "127.0.0.1:PORT/v1". */
  proxyHost: string;
  /** Number of bridged connections currently open (0 once every client has ended). */
  activeConnections(): number;
  /** Stop listening and destroy every live connection. */
  close(): Promise<void>;
}

const LISTEN_HOST = "127.0.0.1";
const PATH = "/v1";
/** Pause reading from Postgres while this much is queued towards the WebSocket. */
const HIGH_WATER_MARK = 1024 * 1024;

// Codes of the untyped messages a client may send before the startup message.
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Frontend 'X' Terminate: type byte 0x58 followed by int32 length 4. */
const TERMINATE = 0x58;

/**
 * Follows the frontend (client -> server) Postgres message stream across
 * WebSocket frames, to notice the Terminate message exactly rather than by
 * guessing from frame contents.
 *
 * The stream starts with untyped messages (int32 length, int32 code):
 * SSLRequest / GSSENCRequest (answered by one byte from the server),
 * CancelRequest, or the StartupMessage, after which every message is typed
 * (byte type, int32 length including itself).
 */
class FrontendMessageTracker {
  private phase: "untyped" | "typed" | "opaque" = "untyped";
  /** An SSL/GSS request is waiting for the server's one-byte answer. */
  private awaitingEncryptionAnswer = false;
  /** Bytes of the current message header collected so far. */
  private header = Buffer.alloc(0);
  /** Bytes of the current message body still to skip. */
  private bodyLeft = 0;

  /** Feed client bytes; true if they complete a Terminate message. */
  clientData(chunk: Buffer): boolean {
    let terminated = false;
    let offset = 0;
    while (offset < chunk.length && this.phase !== "opaque") {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, chunk.length - offset);
        this.bodyLeft -= n;
        offset += n;
        continue;
      }
      const headerSize = this.phase === "untyped" ? 8 : 5;
      const take = Math.min(headerSize - this.header.length, chunk.length - offset);
      this.header = Buffer.concat([this.header, chunk.subarray(offset, offset + take)]);
      offset += take;
      if (this.header.length < headerSize) break;
      const header = this.header;
      this.header = Buffer.alloc(0);

      if (this.phase === "untyped") {
        const length = header.readInt32BE(0);
        const code = header.readInt32BE(4);
        if (length < 8) {
          this.phase = "opaque"; // not a Postgres client: stop interpreting
          continue;
        }
        this.bodyLeft = length - 8;
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) this.awaitingEncryptionAnswer = true;
        else if (code === CANCEL_REQUEST)
          this.phase = "opaque"; // the server closes after it
        else this.phase = "typed"; // StartupMessage
      } else {
        const length = header.readInt32BE(1);
        if (length < 4) {
          this.phase = "opaque";
          continue;
        }
        this.bodyLeft = length - 4;
        if (header[0] === TERMINATE && length === 4) terminated = true;
      }
    }
    return terminated;
  }

  /** Feed server bytes: only its answer to an SSL/GSS request matters. */
  serverData(chunk: Buffer): void {
    if (!this.awaitingEncryptionAnswer || chunk.length === 0) return;
    this.awaitingEncryptionAnswer = false;
    // 'S' / 'G': the rest is encrypted and cannot be followed. 'N': plain text continues.
    if (chunk[0] !== 0x4e) this.phase = "opaque";
  }
}

function toBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

/** Answer a refused upgrade with a plain HTTP error and drop the socket. */
function refuse(socket: Duplex, status: number, reason: string): void {
  if (!socket.destroyed) {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
}

/** Parse "host:port" / "[v6]:port" from the `address` query parameter. */
function parseAddress(address: string | null): { host: string; port: number } | undefined {
  if (address === null) return undefined;
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address);
  if (match === null) return undefined;
  const host = (match[1] ?? match[2] ?? "").toLowerCase();
  const port = Number(match[3]);
  if (host === "" || port < 1 || port > 65535) return undefined;
  return { host, port };
}

export async function startWebSocketBridge(options: WebSocketBridgeOptions = {}): Promise<WebSocketBridge> {
  const allowedHosts = new Set((options.allowedHosts ?? ["127.0.0.1", "localhost"]).map((h) => h.toLowerCase()));
  const log = options.log ?? (() => undefined);
  /** Teardown functions of live bridged connections (and of upgrades still connecting). */
  const live = new Set<() => void>();

  const server = http.createServer((_request, response) => {
    response.writeHead(426, { "Content-Type": "text/plain", Connection: "close" });
    response.end(`WebSocket -> Postgres bridge: open a WebSocket on ${PATH}?address=host:port\n`);
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  wss.on("error", (error) => log(`ws-bridge: server error: ${error.message}`));

  server.on("upgrade", (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => undefined);
    const url = new URL(request.url ?? "/", "http://bridge.invalid");
    if (url.pathname !== PATH) return refuse(socket, 404, "Not Found");
    const target = parseAddress(url.searchParams.get("address"));
    if (target === undefined) return refuse(socket, 400, "Bad Request");
    if (!allowedHosts.has(target.host)) {
      log(`ws-bridge: refused connection to ${target.host}:${target.port} (not in allowedHosts)`);
      return refuse(socket, 403, "Forbidden");
    }

    // Connect to Postgres first, so an unreachable server fails the upgrade (502).
    const tcp = net.connect({ host: target.host, port: target.port });
    tcp.setNoDelay(true);
    let ws: WebSocket | undefined;
    const teardown = (): void => {
      tcp.destroy();
      ws?.terminate();
      socket.destroy();
    };
    // A connection stays "live" until both its TCP socket and its WebSocket are closed.
    live.add(teardown);
    const forgetIfDone = (): void => {
      if (tcp.destroyed && (ws === undefined || ws.readyState === ws.CLOSED)) live.delete(teardown);
    };
    tcp.on("error", (error) => log(`ws-bridge: tcp ${target.host}:${target.port}: ${error.message}`));
    tcp.on("close", () => {
      if (ws === undefined) refuse(socket, 502, "Bad Gateway");
      else if (ws.readyState === ws.OPEN) ws.close(1000, "database connection closed");
      forgetIfDone();
    });
    socket.on("close", () => {
      if (ws === undefined) tcp.destroy(); // client gave up before the upgrade completed
    });

    tcp.once("connect", () => {
      if (socket.destroyed) return;
      wss.handleUpgrade(request, socket, head, (webSocket) => {
        ws = webSocket;
        webSocket.on("close", forgetIfDone);
        if (tcp.destroyed) webSocket.close(1000, "database connection closed");
        else pipe(webSocket, tcp, log);
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, LISTEN_HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (error) => log(`ws-bridge: ${error.message}`));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("ws-bridge: no TCP address");
  const port = address.port;

  let closing: Promise<void> | undefined;
  return {
    port,
    proxyHost: `${LISTEN_HOST}:${port}${PATH}`,
    activeConnections: () => live.size,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const teardown of live) teardown();
        live.clear();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Copy bytes between an upgraded WebSocket and its TCP connection until either side ends. */
function pipe(ws: WebSocket, tcp: net.Socket, log: (line: string) => void): void {
  ws.binaryType = "nodebuffer";
  const tracker = new FrontendMessageTracker();
  let wsPaused = false;

  // Client -> Postgres.
  ws.on("message", (data: RawData) => {
    const chunk = toBuffer(data);
    const terminated = tracker.clientData(chunk);
    if (!tcp.write(chunk) && !wsPaused) {
      wsPaused = true;
      ws.pause();
      tcp.once("drain", () => {
        wsPaused = false;
        ws.resume();
      });
    }
    if (terminated) {
      // The Neon client will not close its side: end both once Terminate is forwarded.
      tcp.end();
      ws.close(1000, "terminated");
    }
  });

  // Postgres -> client, pausing TCP reads while the WebSocket is backed up.
  tcp.on("data", (chunk: Buffer) => {
    tracker.serverData(chunk);
    if (ws.readyState !== ws.OPEN) return;
    ws.send(chunk, { binary: true }, () => {
      if (tcp.isPaused() && ws.bufferedAmount < HIGH_WATER_MARK / 2) tcp.resume();
    });
    if (ws.bufferedAmount > HIGH_WATER_MARK) tcp.pause();
  });

  ws.on("close", () => tcp.end());
  ws.on("error", (error) => {
    log(`ws-bridge: websocket: ${error.message}`);
    tcp.destroy();
  });
}
