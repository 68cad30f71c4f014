/**
 * The client side of the fault tests: writers that POST products, each with an
 * Idempotency-Key of its own, and retry the same key and body (on 5xx, 409 and
 * network errors) until a definitive 201 or a deadline. What was acknowledged
 * and what happened on the way is returned for the test to check against the
 * database. Runs in Node and in workerd (only `fetch`-shaped functions).
 */

/** Sends one create with this key and body; a thrown error counts as a network error. */
export type SendCreate = (key: string, body: string) => Promise<Response>;

export interface WriteLoadOptions {
  send: SendCreate;
  /** Concurrent writer loops. */
  writers: number;
  /** Writers start new keys for this long. */
  durationMs: number;
  /** After `durationMs`, keys still being retried have this long to get their 201. */
  settleMs: number;
  /** Unique per run: every sku starts with it. */
  tag: string;
  /** Called with the millisecond since the start at which each answer (or network error) arrived. */
  onAnswer?: (status: number | "network", atMs: number) => void;
}

export interface AcknowledgedCreate {
  key: string;
  sku: string;
  id: string;
  /** Requests sent for this key, the successful one included. */
  attempts: number;
  /** The 201 was a replay of an earlier attempt's answer. */
  replayed: boolean;
}

export interface WriteLoadResult {
  requests: number;
  statuses: Map<number | "network", number>;
  acknowledged: AcknowledgedCreate[];
  /** Keys that never got their 201 before the deadline. */
  unresolved: { key: string; sku: string; attempts: number; last: number | "network" }[];
  /** Answers that are neither success nor retryable (e.g. a 422 or a 409 "sku taken"): each is a bug here. */
  unexpected: { key: string; status: number; body: string }[];
  /** Duration of every request (ms), in the order they ended. */
  latenciesMs: number[];
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function count5xx(statuses: Map<number | "network", number>): number {
  let total = 0;
  for (const [status, n] of statuses) if (typeof status === "number" && status >= 500) total += n;
  return total;
}

/** The q-quantile (0..1) of `values`, in the same unit. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** `{"409": 3, "201": 120, …}` for a summary line. */
export function statusSummary(statuses: Map<number | "network", number>): string {
  return [...statuses]
    .sort(([a], [b]) => String(a).localeCompare(String(b)))
    .map(([status, n]) => `${status}:${n}`)
    .join(" ");
}

export async function runWriteLoad(options: WriteLoadOptions): Promise<WriteLoadResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const result: WriteLoadResult = {
    requests: 0,
    statuses: new Map(),
    acknowledged: [],
    unresolved: [],
    unexpected: [],
    latenciesMs: [],
    elapsedMs: 0,
  };
  const record = (status: number | "network", sentAt: number) => {
    result.latenciesMs.push(elapsed() - sentAt);
    result.requests++;
    result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
    options.onAnswer?.(status, elapsed());
  };

  async function createOne(key: string, sku: string, index: number): Promise<void> {
    const body = JSON.stringify({ name: `Fault ${sku}`, priceCents: 100 + index, sku });
    const deadline = options.durationMs + options.settleMs;
    let last: number | "network" = "network";
    for (let attempts = 1; ; attempts++) {
      const sentAt = elapsed();
      try {
        const response = await options.send(key, body);
        last = response.status;
        record(response.status, sentAt);
        if (response.status === 201) {
          const created = (await response.json()) as { id: string; sku: string };
          if (created.sku !== sku) result.unexpected.push({ key, status: 201, body: JSON.stringify(created) });
          const replayed = response.headers.get("idempotency-replayed") === "true";
          result.acknowledged.push({ key, sku, id: created.id, attempts, replayed });
          return;
        }
        const text = await response.text();
        // 409 is retryable only while the first request with this key is still running, not for a taken sku.
        const retryable = response.status >= 500 || (response.status === 409 && !text.includes('"taken"'));
        if (!retryable) {
          result.unexpected.push({ key, status: response.status, body: text.slice(0, 500) });
          return;
        }
      } catch {
        last = "network";
        record("network", sentAt);
      }
      if (elapsed() > deadline) {
        result.unresolved.push({ key, sku, attempts, last });
        return;
      }
      // Small backoff with jitter, growing to ~200 ms.
      await sleep(Math.min(200, 10 * 2 ** Math.min(attempts, 5)) * (0.5 + Math.random()));
    }
  }

  await Promise.all(
    Array.from({ length: options.writers }, async (_, writer) => {
      for (let index = 0; elapsed() < options.durationMs; index++) {
        const sku = `${options.tag}-${writer}-${index}`;
        await createOne(`key-${sku}`, sku, index);
      }
    }),
  );
  result.elapsedMs = elapsed();
  return result;
}
