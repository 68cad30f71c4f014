/**
 * The workload of `npm run load`: virtual users that read, list, create (with
 * Idempotency-Key), patch (with If-Match) and delete (as admin) products over
 * HTTP, recording every answer, then a check that the database holds exactly
 * what the acknowledged answers say. Checks made while it runs (read-your-writes,
 * list filters, one winner per version) count as mismatches too.
 */
import { openClient } from "./pg-client";

export type Kind = "get" | "list" | "create" | "patch" | "delete";
export const KINDS: readonly Kind[] = ["get", "list", "create", "patch", "delete"];

export interface WorkloadOptions {
  origin: string;
  tokens: { viewer: string; editor: string; admin: string };
  durationMs: number;
  concurrency: number;
  /** No new request starts after this many. */
  maxRequests: number;
  /** Every sku of the run starts with it. */
  tag: string;
}

export interface Tally {
  statuses: Map<string, number>;
  latenciesMs: number[];
}

export interface WorkloadResult {
  tallies: Map<Kind, Tally>;
  requests: number;
  elapsedMs: number;
  acknowledged: { creates: number; patches: number; deletes: number };
  /** Writes whose outcome the client cannot know (5xx, network error). */
  unknown: number;
  mismatches: string[];
  state: State;
}

interface Product {
  id: string;
  sku: string;
  priceCents: number;
  currency: string;
  name: string;
  version: number;
  createdAt: string;
}

interface Answer {
  status: number;
  text: string;
}

/** What the client knows of one product from acknowledged answers. */
interface Known {
  id: string;
  sku: string;
  createdPriceCents: number;
  /** Highest acknowledged version and its price. */
  version: number;
  priceCents: number;
  /** Versions acknowledged by 200 PATCHes; two wins for one version would be a lost update. */
  patchVersions: Map<number, number>;
  unknownPatches: number;
  deleteSent: boolean;
  deletedAtMs: number | undefined;
  unknownDelete: boolean;
}

export interface State {
  products: Map<string, Known>;
  ids: string[];
  /** Skus of creates that never got a definitive answer: a row for them is explained. */
  unresolvedSkus: Set<string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];
const currencies = ["USD", "EUR", "GBP"] as const;
const sorts = ["createdAt", "-createdAt", "name", "-name", "priceCents", "-priceCents"] as const;

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

export async function runWorkload(options: WorkloadOptions): Promise<WorkloadResult> {
  const started = performance.now();
  const now = () => performance.now() - started;
  const tallies = new Map<Kind, Tally>(KINDS.map((kind) => [kind, { statuses: new Map(), latenciesMs: [] }]));
  const state: State = { products: new Map(), ids: [], unresolvedSkus: new Set() };
  const result: WorkloadResult = {
    tallies,
    requests: 0,
    elapsedMs: 0,
    acknowledged: { creates: 0, patches: 0, deletes: 0 },
    unknown: 0,
    mismatches: [],
    state,
  };
  const mismatch = (text: string) => result.mismatches.push(text);
  let creates = 0;

  /** One request, timed to the end of its body; undefined on a network error or timeout. */
  async function send(kind: Kind, path: string, init: RequestInit & { token: string }): Promise<Answer | undefined> {
    const { token, ...rest } = init;
    const headers = new Headers(rest.headers);
    headers.set("authorization", `Bearer ${token}`);
    const sentAt = now();
    result.requests++;
    const tally = tallies.get(kind) as Tally;
    const count = (status: string) => tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
    try {
      const response = await fetch(`${options.origin}${path}`, { ...rest, headers, signal: AbortSignal.timeout(10_000) });
      const text = await response.text();
      tally.latenciesMs.push(now() - sentAt);
      count(String(response.status));
      return { status: response.status, text };
    } catch {
      tally.latenciesMs.push(now() - sentAt);
      count("network");
      return undefined;
    }
  }
  const parse = <T>(answer: Answer) => JSON.parse(answer.text) as T;

  const randomKnown = (alive: boolean): Known | undefined => {
    for (let tries = 0; tries < 5; tries++) {
      const known = state.products.get(pick(state.ids) ?? "");
      if (known && (!alive || (!known.deleteSent && known.deletedAtMs === undefined))) return known;
    }
    return undefined;
  };

  async function create(): Promise<void> {
    const n = creates++;
    const sku = `${options.tag}-${n}`;
    const priceCents = Math.floor(Math.random() * 100_000);
    const body = JSON.stringify({ name: `Load ${options.tag} ${n}`, priceCents, currency: pick(currencies), sku });
    const deadline = options.durationMs + 5_000;
    for (let attempt = 1; ; attempt++) {
      const response = await send("create", "/api/v1/products", {
        method: "POST",
        token: options.tokens.editor,
        headers: { "content-type": "application/json", "idempotency-key": `key-${sku}` },
        body,
      });
      if (response?.status === 201) {
        const product = parse<Product>(response);
        if (product.sku !== sku || product.priceCents !== priceCents || product.version !== 1)
          mismatch(`create ${sku}: answered ${JSON.stringify(product)}`);
        result.acknowledged.creates++;
        state.products.set(product.id, {
          id: product.id,
          sku,
          createdPriceCents: priceCents,
          version: 1,
          priceCents,
          patchVersions: new Map(),
          unknownPatches: 0,
          deleteSent: false,
          deletedAtMs: undefined,
          unknownDelete: false,
        });
        state.ids.push(product.id);
        return;
      }
      // Retry the same key and body while the answer is not definitive (a 409 here means "still running").
      const retryable = response === undefined || response.status >= 500 || response.status === 409;
      if (!retryable) {
        mismatch(`create ${sku}: unexpected ${response.status} ${response.text.slice(0, 200)}`);
        return;
      }
      if (now() > deadline || attempt >= 20) {
        result.unknown++;
        state.unresolvedSkus.add(sku);
        return;
      }
      await sleep(Math.min(500, 20 * 2 ** attempt));
    }
  }

  async function get(): Promise<void> {
    // Mostly live products; sometimes deleted ones, whose 404 is checked too.
    const known = randomKnown(Math.random() < 0.8);
    if (!known) return create();
    // What had been acknowledged before this request was sent: the answer must not be older.
    const deletedBefore = known.deletedAtMs !== undefined;
    const versionBefore = known.version;
    const conditional = Math.random() < 0.2;
    const response = await send("get", `/api/v1/products/${known.id}`, {
      token: options.tokens.viewer,
      headers: conditional ? { "if-none-match": `"${known.id}.${versionBefore}"` } : {},
    });
    if (!response) return;
    if (response.status === 200) {
      const product = parse<Product>(response);
      if (deletedBefore) mismatch(`get ${known.id}: 200 after an acknowledged delete`);
      if (product.version < versionBefore) mismatch(`get ${known.id}: version ${product.version} older than acknowledged ${versionBefore}`);
      if (conditional && product.version === versionBefore) mismatch(`get ${known.id}: 200 for a matching If-None-Match`);
    } else if (response.status === 304) {
      if (!conditional || deletedBefore) mismatch(`get ${known.id}: unexpected 304`);
    } else if (response.status === 404) {
      if (!known.deleteSent) mismatch(`get ${known.id}: 404 though never deleted`);
    } else if (response.status < 500) {
      mismatch(`get ${known.id}: unexpected ${response.status}`);
    }
  }

  async function list(): Promise<void> {
    const params = new URLSearchParams({ q: options.tag, limit: String(1 + Math.floor(Math.random() * 50)) });
    const sort = pick(sorts) ?? "-createdAt";
    params.set("sort", sort);
    const currency = Math.random() < 0.3 ? pick(currencies) : undefined;
    if (currency) params.set("currency", currency);
    const minPrice = Math.random() < 0.3 ? Math.floor(Math.random() * 50_000) : undefined;
    if (minPrice !== undefined) params.set("minPrice", String(minPrice));
    const maxPrice = Math.random() < 0.3 ? (minPrice ?? 0) + Math.floor(Math.random() * 50_000) : undefined;
    if (maxPrice !== undefined) params.set("maxPrice", String(maxPrice));
    const response = await send("list", `/api/v1/products?${params}`, { token: options.tokens.viewer });
    if (!response) return;
    if (response.status !== 200) {
      if (response.status < 500) mismatch(`list ${params}: unexpected ${response.status}`);
      return;
    }
    const page = parse<{ data: Product[] }>(response);
    // Names compare by the database's collation; prices and timestamps compare the same everywhere.
    const value = sort.endsWith("priceCents") ? (p: Product) => p.priceCents : (p: Product) => Date.parse(p.createdAt);
    for (const [index, product] of page.data.entries()) {
      if (!product.sku.startsWith(options.tag)) mismatch(`list ${params}: ${product.sku} does not match q`);
      if (currency && product.currency !== currency) mismatch(`list ${params}: ${product.sku} has ${product.currency}`);
      if (minPrice !== undefined && product.priceCents < minPrice) mismatch(`list ${params}: ${product.sku} below minPrice`);
      if (maxPrice !== undefined && product.priceCents > maxPrice) mismatch(`list ${params}: ${product.sku} above maxPrice`);
      const previous = page.data[index - 1];
      if (previous && !sort.endsWith("name")) {
        const [a, b] = [value(previous), value(product)];
        if (sort.startsWith("-") ? a < b : a > b) mismatch(`list ${params}: out of order at ${index}`);
      }
    }
  }

  /** A few products most PATCHes go to, so that writers holding the same ETag really race. */
  const hot = (): Known | undefined => {
    const alive = state.ids.slice(-4).flatMap((id) => {
      const known = state.products.get(id);
      return known && !known.deleteSent && known.deletedAtMs === undefined ? [known] : [];
    });
    return pick(alive);
  };

  async function patch(): Promise<void> {
    const known = (Math.random() < 0.7 ? hot() : undefined) ?? randomKnown(true);
    if (!known) return create();
    const priceCents = Math.floor(Math.random() * 100_000);
    // The last version this client saw: other users may have moved on (412), which is the point.
    const ifMatch = known.version;
    const response = await send("patch", `/api/v1/products/${known.id}`, {
      method: "PATCH",
      token: options.tokens.editor,
      headers: { "content-type": "application/merge-patch+json", "if-match": `"${known.id}.${ifMatch}"` },
      body: JSON.stringify({ priceCents }),
    });
    if (!response || response.status >= 500) {
      known.unknownPatches++;
      result.unknown++;
      return;
    }
    if (response.status === 200) {
      const product = parse<Product>(response);
      result.acknowledged.patches++;
      if (product.priceCents !== priceCents) mismatch(`patch ${known.id}: answered price ${product.priceCents}, sent ${priceCents}`);
      // Won against version `ifMatch`: the result is exactly the next one, and nobody else won it.
      if (product.version !== ifMatch + 1) mismatch(`patch ${known.id}: If-Match version ${ifMatch} answered version ${product.version}`);
      if (known.patchVersions.has(product.version)) mismatch(`patch ${known.id}: two PATCHes won version ${product.version}`);
      known.patchVersions.set(product.version, product.priceCents);
      if (product.version > known.version) {
        known.version = product.version;
        known.priceCents = product.priceCents;
      }
    } else if (response.status === 404) {
      if (!known.deleteSent) mismatch(`patch ${known.id}: 404 though never deleted`);
    } else if (response.status !== 412) {
      mismatch(`patch ${known.id}: unexpected ${response.status}`);
    }
  }

  async function remove(): Promise<void> {
    const known = randomKnown(true);
    if (!known) return create();
    known.deleteSent = true;
    const conditional = Math.random() < 0.5;
    const response = await send("delete", `/api/v1/products/${known.id}`, {
      method: "DELETE",
      token: options.tokens.admin,
      headers: conditional ? { "if-match": `"${known.id}.${known.version}"` } : {},
    });
    if (!response || response.status >= 500) {
      known.unknownDelete = true;
      result.unknown++;
      return;
    }
    if (response.status === 204) {
      result.acknowledged.deletes++;
      known.deletedAtMs = now();
    } else if (response.status === 412 && conditional) {
      // A PATCH won first: the product stays, and may be deleted later.
      known.deleteSent = false;
    } else {
      mismatch(`delete ${known.id}: unexpected ${response.status}`);
    }
  }

  const operations: [Kind, number, () => Promise<void>][] = [
    ["get", 30, get],
    ["list", 15, list],
    ["create", 20, create],
    ["patch", 28, patch],
    ["delete", 7, remove],
  ];
  const totalWeight = operations.reduce((sum, [, weight]) => sum + weight, 0);
  const chooseOperation = () => {
    let roll = Math.random() * totalWeight;
    for (const [, weight, run] of operations) {
      roll -= weight;
      if (roll < 0) return run;
    }
    return create;
  };

  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (now() < options.durationMs && result.requests < options.maxRequests) await chooseOperation()();
    }),
  );
  result.elapsedMs = now();
  return result;
}

/** Compares the database with the acknowledged answers; returns one line per difference. */
export async function verifyDatabase(databaseUrl: string, tag: string, state: State): Promise<string[]> {
  const client = await openClient(databaseUrl);
  let rows: { id: string; sku: string; price_cents: number; version: number }[];
  try {
    rows = (await client.query("select id, sku, price_cents, version from products where sku like $1", [`${tag}-%`])).rows;
  } finally {
    await client.end();
  }
  const problems: string[] = [];
  const stored = new Map(rows.map((row) => [row.id, row]));
  const skus = new Map<string, Known>();
  for (const known of state.products.values()) skus.set(known.sku, known);
  for (const known of state.products.values()) {
    const row = stored.get(known.id);
    if (known.deletedAtMs !== undefined) {
      if (row) problems.push(`${known.id}: deleted (204) but still stored`);
      continue;
    }
    if (!row) {
      if (!known.unknownDelete && !known.deleteSent) problems.push(`${known.id}: created (201) but missing`);
      else if (!known.unknownDelete) problems.push(`${known.id}: missing, and no delete of it was answered 204 or left unknown`);
      continue;
    }
    const wins = known.patchVersions.size;
    // Every acknowledged PATCH is in the version count; an unknown one may or may not be.
    if (row.version < 1 + wins || row.version > 1 + wins + known.unknownPatches) {
      problems.push(`${known.id}: version ${row.version}, but ${wins} PATCH(es) acknowledged and ${known.unknownPatches} unknown`);
    }
    if (row.version === known.version && row.price_cents !== known.priceCents) {
      problems.push(`${known.id}: price ${row.price_cents} at version ${row.version}, acknowledged ${known.priceCents}`);
    }
    if (wins === 0 && known.unknownPatches === 0 && row.price_cents !== known.createdPriceCents) {
      problems.push(`${known.id}: price ${row.price_cents} changed by nobody`);
    }
  }
  for (const row of rows) {
    const known = skus.get(row.sku);
    if (known && known.id !== row.id) problems.push(`${row.sku}: stored as ${row.id}, acknowledged as ${known.id}`);
    if (!known && !state.unresolvedSkus.has(row.sku)) problems.push(`${row.sku} (${row.id}): stored, but no create explains it`);
  }
  return problems;
}
