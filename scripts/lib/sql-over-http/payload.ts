/**
 * The request body: read under the proxy's size limit (`read_body_with_limit`,
 * proxy/src/http/mod.rs) and decoded as its `Payload` (sql_over_http.rs), an
 * untagged enum tried as a single query first, then as a batch.
 */
import type { IncomingMessage } from "node:http";
import { SqlOverHttpError } from "./errors";
import { jsonToPgText } from "./params";
import { type JsonValue, parseJson } from "./serde-json";

/** `sql_over_http_max_request_size_bytes` default (proxy/src/binary/proxy.rs): 10 MiB. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

export interface QueryData {
  query: string;
  params: (string | null)[];
  /** Per-query `arrayMode`, which wins over the Neon-Array-Mode header. */
  arrayMode: boolean | undefined;
}

export type Payload = { kind: "single"; query: QueryData } | { kind: "batch"; queries: QueryData[] };

const tooLarge = () => new SqlOverHttpError(413, `request is too large (max is ${MAX_REQUEST_BYTES} bytes)`);
const unreadable = (reason: string) => new SqlOverHttpError(400, `could not parse the HTTP request body: ${reason}`);

/** 413 as soon as Content-Length or the bytes received pass the limit (`ReadBodyError::BodyTooLarge`). */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  if (Number(request.headers["content-length"] ?? 0) > MAX_REQUEST_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += data.length;
    if (size > MAX_REQUEST_BYTES) throw tooLarge();
    chunks.push(data);
  }
  return Buffer.concat(chunks);
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * serde's derived `QueryData`: a map with `query`, optional `params` (any
 * JSON values, not null) and optional `arrayMode`; serde also accepts the
 * same fields as a sequence. Unknown keys are ignored.
 */
function toQueryData(value: JsonValue): QueryData | undefined {
  const fields = isObject(value)
    ? { query: value.query, params: "params" in value ? value.params : [], arrayMode: value.arrayMode ?? null }
    : Array.isArray(value) && value.length >= 1 && value.length <= 3
      ? { query: value[0], params: value.length > 1 ? value[1] : [], arrayMode: value[2] ?? null }
      : undefined;
  if (!fields || typeof fields.query !== "string" || !Array.isArray(fields.params)) return undefined;
  if (fields.arrayMode !== null && typeof fields.arrayMode !== "boolean") return undefined;
  return { query: fields.query, params: fields.params.map(jsonToPgText), arrayMode: fields.arrayMode ?? undefined };
}

function toQueries(value: JsonValue): QueryData[] | undefined {
  const queries = isObject(value) ? value.queries : Array.isArray(value) && value.length === 1 ? value[0] : undefined;
  if (!Array.isArray(queries)) return undefined;
  const parsed: QueryData[] = [];
  for (const item of queries) {
    const query = toQueryData(item);
    if (!query) return undefined;
    parsed.push(query);
  }
  return parsed;
}

/** A body that is not JSON, or matches neither shape, is a 400 (`ReadPayloadError::Parse`). */
export function parsePayload(body: Buffer): Payload {
  let value: JsonValue;
  // serde_json takes UTF-8 only, with no byte-order mark.
  try {
    value = parseJson(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body));
  } catch (error) {
    throw unreadable(error instanceof Error ? error.message : String(error));
  }
  const single = toQueryData(value);
  if (single) return { kind: "single", query: single };
  const queries = toQueries(value);
  if (queries) return { kind: "batch", queries };
  throw unreadable("data did not match any variant of untagged enum Payload");
}
