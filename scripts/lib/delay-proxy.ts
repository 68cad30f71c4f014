/**
 * A TCP proxy on 127.0.0.1 that holds every chunk for a fixed time in each direction:
 * the round trip of a leg that crosses the world in production (Worker → Neon, server →
 * database), on loopback. `npm run bench -- --edge` puts it in front of the database.
 *
 * Each chunk is written `oneWayDelayMs` after it was read, unchanged and in order (no
 * coalescing, so message boundaries the peers see stay as they were). A FIN travels with
 * the same delay after the data before it, so half-closes reach the other side in order;
 * when either socket is gone, the other is destroyed once what was in flight to it is out.
 */
import net from "node:net";

export interface DelayProxyOptions {
  targetHost: string;
  targetPort: number;
  /** Added to each direction: a round trip through the proxy takes at least twice this. */
  oneWayDelayMs: number;
  /** Diagnostics (socket errors). Default: silent. */
  log?: (line: string) => void;
}

export interface DelayProxy {
  /** Port on 127.0.0.1. */
  port: number;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

type Delivery = { due: number } & ({ kind: "data"; chunk: Buffer } | { kind: "end" } | { kind: "destroy" });

/**
 * One direction of one connection. A single timer per direction, draining a FIFO queue,
 * keeps chunks in order whatever the timer wheel does with equal deadlines; due times
 * come from performance.now(). A setTimeout fires up to about a millisecond early or late
 * against it, which at 10 ms each way would add 2–4 ms to every round trip measured: so
 * the proxy sleeps until about 1 ms before a chunk is due, then polls on setImmediate
 * (a millisecond of event-loop turns per chunk, on the bench's own process) and sends it
 * within a few hundredths of a millisecond of its due time.
 */
function delayedPipe(from: net.Socket, to: net.Socket, delayMs: number): { stop(): void } {
  const queue: Delivery[] = [];
  let timer: { cancel(): void } | undefined;
  let stopped = false;

  const deliver = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && (queue[0]?.due ?? Number.POSITIVE_INFINITY) <= now) {
      const next = queue.shift();
      if (next === undefined) break;
      if (to.destroyed) {
        queue.length = 0;
        return;
      }
      if (next.kind === "data") {
        // Backpressure: stop reading the sender until the receiver has taken what it was given.
        if (!to.write(next.chunk) && !from.isPaused()) {
          from.pause();
          to.once("drain", () => from.resume());
        }
      } else if (next.kind === "end") to.end();
      else to.destroy();
    }
    schedule();
  };
  const schedule = () => {
    const head = queue[0];
    if (stopped || timer !== undefined || head === undefined) return;
    const waitMs = head.due - performance.now();
    if (waitMs > 2) {
      const timeout = setTimeout(deliver, Math.floor(waitMs - 1));
      timer = { cancel: () => clearTimeout(timeout) };
    } else {
      const immediate = setImmediate(deliver);
      timer = { cancel: () => clearImmediate(immediate) };
    }
  };
  const push = (delivery: Delivery) => {
    queue.push(delivery);
    schedule();
  };

  from.on("data", (chunk: Buffer) => push({ kind: "data", chunk, due: performance.now() + delayMs }));
  from.on("end", () => push({ kind: "end", due: performance.now() + delayMs }));
  from.on("close", () => push({ kind: "destroy", due: performance.now() + delayMs }));
  return {
    stop() {
      stopped = true;
      timer?.cancel();
      queue.length = 0;
    },
  };
}

export function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  const log = options.log ?? (() => {});
  const connections = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
  };
  // allowHalfOpen: a FIN from one side must not end the other direction at once, but after its delay.
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    const upstream = net.connect({ host: options.targetHost, port: options.targetPort, allowHalfOpen: true, noDelay: true });
    track(client);
    track(upstream);
    // An unhandled socket error would crash the benchmark; each one just ends its connection (close follows).
    client.on("error", (error) => log(`delay proxy: client socket: ${error.message}`));
    upstream.on("error", (error) => log(`delay proxy: upstream ${options.targetHost}:${options.targetPort}: ${error.message}`));
    const pipes = [delayedPipe(client, upstream, options.oneWayDelayMs), delayedPipe(upstream, client, options.oneWayDelayMs)];
    const bothClosed = () => {
      if (client.destroyed && upstream.destroyed) for (const pipe of pipes) pipe.stop();
    };
    client.once("close", bothClosed);
    upstream.once("close", bothClosed);
  });
  server.on("error", (error) => log(`delay proxy: ${error.message}`));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      const address = server.address();
      if (address === null || typeof address === "string") {
        reject(new Error("delay proxy: no TCP address"));
        return;
      }
      resolve({
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of connections) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
