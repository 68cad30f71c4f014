import { randomBytes } from "node:crypto";
import { once } from "node:events";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type DelayProxy, startDelayProxy } from "../../scripts/lib/delay-proxy";

/** An echo server on loopback that remembers its accepted sockets, so a test can watch or close them. */
async function startEcho() {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => {});
    socket.pipe(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return { port: address.port, sockets, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: "127.0.0.1", port, noDelay: true });
  socket.on("error", () => {});
  await once(socket, "connect");
  return socket;
}

/** Resolves with the first `length` bytes the socket receives. */
function receive(socket: net.Socket, length: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received >= length) {
        socket.off("data", onData);
        resolve(Buffer.concat(chunks));
      }
    };
    socket.on("data", onData);
  });
}

const closed = (socket: net.Socket) => (socket.destroyed && socket.closed ? Promise.resolve() : once(socket, "close").then(() => {}));

describe("delay proxy", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function echoBehindProxy(rttMs: number) {
    const echo = await startEcho();
    const proxy: DelayProxy = await startDelayProxy({ targetHost: "127.0.0.1", targetPort: echo.port, oneWayDelayMs: rttMs / 2 });
    cleanups.push(echo.close, proxy.close);
    const client = await connect(proxy.port);
    cleanups.push(async () => {
      client.destroy();
    });
    return { echo, proxy, client };
  }

  it("adds the round trip to an echo, in both directions", async () => {
    const { client } = await echoBehindProxy(40);
    const message = Buffer.from("ping");
    const started = performance.now();
    const answer = receive(client, message.length);
    client.write(message);
    expect((await answer).equals(message)).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(40);
  });

  it("forwards bytes intact and in order across many chunks", async () => {
    const { client } = await echoBehindProxy(40);
    // Chunks of varied sizes written back to back: each is held apart, none may overtake another.
    const chunks = Array.from({ length: 200 }, (_, i) => randomBytes(1 + ((i * 7919) % 4096)));
    const sent = Buffer.concat(chunks);
    const answer = receive(client, sent.length);
    for (const chunk of chunks) client.write(chunk);
    const echoed = await answer;
    expect(echoed.length).toBe(sent.length);
    expect(echoed.equals(sent)).toBe(true);
  });

  it("closes the upstream socket when the client closes", async () => {
    const { echo, client } = await echoBehindProxy(40);
    // The upstream connection exists once the first bytes went through.
    const answer = receive(client, 1);
    client.write("x");
    await answer;
    const upstream = echo.sockets[0];
    expect(upstream).toBeDefined();
    if (upstream === undefined) return;
    client.destroy();
    await closed(upstream);
    expect(upstream.destroyed).toBe(true);
  });

  it("closes the client socket when the upstream closes", async () => {
    const { echo, client } = await echoBehindProxy(40);
    const answer = receive(client, 1);
    client.write("x");
    await answer;
    const upstream = echo.sockets[0];
    if (upstream === undefined) throw new Error("no upstream connection");
    const clientClosed = closed(client);
    upstream.destroy();
    await clientClosed;
    expect(client.destroyed).toBe(true);
  });
});
