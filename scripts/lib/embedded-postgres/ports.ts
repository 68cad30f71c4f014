/** The loopback address the server listens on, and finding a free port there. */
import net from "node:net";

/** Loopback only: the server is a development and test tool, never exposed. */
export const HOST = "127.0.0.1";

/** Ask the kernel for a free loopback port. Racy by nature; start-up retries on a bind failure. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolve(address.port);
        else reject(new Error("could not determine a free port"));
      });
    });
  });
}
