/**
 * The client of `npm run bench -- --edge`: one request at a time over one keep-alive
 * connection, so each latency is one request's own (no queueing behind another, no
 * connection set-up once warm). It cycles through the operations, each cycle making the
 * products its PATCH and DELETE then use, so a slow moment of a shared machine is spread
 * over every operation instead of landing on one.
 */
import http from "node:http";
import type { Socket } from "node:net";
import type { EdgeOperation } from "./bench-edge-report";

export interface EdgeTokens {
  viewer: string;
  editor: string;
  /** DELETE needs the admin role. */
  admin: string;
}

export interface EdgeRun {
  samplesMs: Record<EdgeOperation, number[]>;
  errors: number;
  /** Distinct sockets the measured requests used. */
  connections: number;
}

interface Answer {
  status: number;
  body: string;
  socket: Socket;
}

function send(agent: http.Agent, url: URL, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { agent, method, headers: body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("error", reject);
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text, socket: response.socket }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

export interface EdgeClientOptions {
  baseUrl: string;
  tokens: EdgeTokens;
  /** Seeded products to read. */
  ids: readonly string[];
  /** Unique per run and entry: every sku created starts with it. */
  skuPrefix: string;
  warmup: number;
  requests: number;
  log: (line: string) => void;
}

/** Runs `warmup` unmeasured cycles, then `requests` measured ones. A failure while warming up throws: nothing would work. */
export async function runEdgeCycles(options: EdgeClientOptions): Promise<EdgeRun> {
  // maxSockets 1 + keepAlive: every request reuses the one connection, as a client near the edge would.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samplesMs: Record<EdgeOperation, number[]> = {
    health: [],
    ping: [],
    get: [],
    list: [],
    create: [],
    "create-idempotent": [],
    patch: [],
    delete: [],
  };
  const sockets = new Set<Socket>();
  let errors = 0;
  let created = 0;
  const auth = (role: keyof EdgeTokens) => ({ authorization: `Bearer ${options.tokens[role]}` });
  const json = { "content-type": "application/json" };
  const newProduct = () => {
    created++;
    const sku = `${options.skuPrefix}-${created}`;
    return JSON.stringify({ name: `Edge product ${sku}`, priceCents: 100 + created, currency: "USD", sku });
  };

  const measure = async (
    measured: boolean,
    operation: EdgeOperation,
    expected: number,
    call: () => Promise<Answer>,
  ): Promise<string | undefined> => {
    const started = performance.now();
    let answer: Answer | undefined;
    let failure: string | undefined;
    try {
      answer = await call();
      if (answer.status !== expected) failure = `answered ${answer.status}: ${answer.body.slice(0, 300)}`;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const elapsed = performance.now() - started;
    if (failure !== undefined) {
      if (!measured) throw new Error(`${operation} while warming up ${failure}`);
      errors++;
      if (errors <= 5) options.log(`bench: ${operation} ${failure}`);
      return undefined;
    }
    if (measured && answer) {
      samplesMs[operation].push(elapsed);
      sockets.add(answer.socket);
    }
    return answer?.body;
  };
  const idOf = (body: string | undefined) => (body === undefined ? undefined : (JSON.parse(body) as { id: string }).id);
  const url = (path: string) => new URL(path, options.baseUrl);

  try {
    for (let cycle = 0; cycle < options.warmup + options.requests; cycle++) {
      const measured = cycle >= options.warmup;
      const seeded = options.ids[Math.floor(Math.random() * options.ids.length)] ?? "";
      await measure(measured, "health", 200, () => send(agent, url("/health"), "GET", {}));
      await measure(measured, "ping", 200, () => send(agent, url("/api/v1/ping"), "GET", auth("viewer")));
      await measure(measured, "get", 200, () => send(agent, url(`/api/v1/products/${seeded}`), "GET", auth("viewer")));
      await measure(measured, "list", 200, () => send(agent, url("/api/v1/products?limit=20"), "GET", auth("viewer")));
      const patched = idOf(
        await measure(measured, "create", 201, () =>
          send(agent, url("/api/v1/products"), "POST", { ...auth("editor"), ...json }, newProduct()),
        ),
      );
      const key = `${options.skuPrefix}-key-${cycle}`;
      const deleted = idOf(
        await measure(measured, "create-idempotent", 201, () =>
          send(agent, url("/api/v1/products"), "POST", { ...auth("editor"), ...json, "idempotency-key": key }, newProduct()),
        ),
      );
      if (patched !== undefined) {
        const body = JSON.stringify({ name: `Edge product renamed ${cycle}` });
        const headers = { ...auth("editor"), "content-type": "application/merge-patch+json" };
        await measure(measured, "patch", 200, () => send(agent, url(`/api/v1/products/${patched}`), "PATCH", headers, body));
      }
      if (deleted !== undefined)
        await measure(measured, "delete", 204, () => send(agent, url(`/api/v1/products/${deleted}`), "DELETE", auth("admin")));
    }
  } finally {
    agent.destroy();
  }
  return { samplesMs, errors, connections: sockets.size };
}
