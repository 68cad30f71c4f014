import fc from "fast-check";
import type { Role } from "../../src/core/auth/roles";
import { arbitraryFor, type Json, type JsonObject, type JsonSchema, jsonValue, type Operation, type SchemaContext } from "./fuzz-schema";

/**
 * Request generators of the hostile-input suite (fuzz.contract.ts): valid-looking requests
 * from an operation's schemas, and mutations of them. Every generator yields a FuzzRequest,
 * which prints itself readably in fast-check's counterexamples.
 */

/** MAX_BODY_BYTES' default: bodies are sized around it. */
export const BODY_LIMIT = 65_536;

export type Who = Role | "anonymous";
export type Body = string | Uint8Array;

/** One generated request; prints itself readably in fast-check's counterexample. */
export class FuzzRequest {
  constructor(
    readonly operation: string,
    readonly method: string,
    readonly url: string,
    readonly who: Who,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: Body | undefined,
    readonly notes: readonly string[] = [],
  ) {}

  with(changes: { method?: string; url?: string; who?: Who; headers?: Record<string, string>; body?: Body | undefined }, note?: string) {
    return new FuzzRequest(
      this.operation,
      changes.method ?? this.method,
      changes.url ?? this.url,
      changes.who ?? this.who,
      changes.headers ?? this.headers,
      "body" in changes ? changes.body : this.body,
      note === undefined ? this.notes : [...this.notes, note],
    );
  }

  toString(): string {
    const lines = [
      `${this.method} ${excerpt(this.url, 300)} (${this.operation}) as ${this.who}${this.notes.length ? `; ${this.notes.join(", ")}` : ""}`,
    ];
    for (const [name, value] of Object.entries(this.headers)) lines.push(`  ${name}: ${excerpt(value, 200)}`);
    if (this.body !== undefined) {
      const bytes = typeof this.body === "string" ? new TextEncoder().encode(this.body) : this.body;
      lines.push(`  body (${bytes.length} bytes): ${excerpt(typeof this.body === "string" ? this.body : latin1(this.body), 400)}`);
    }
    return lines.join("\n");
  }

  [fc.toStringMethod](): string {
    return this.toString();
  }
}

const latin1 = (bytes: Uint8Array) => Array.from(bytes.subarray(0, 1000), (byte) => String.fromCharCode(byte)).join("");

/** Printable excerpt: control and non-ASCII characters escaped, long values cut in the middle. */
export function excerpt(text: string, max: number): string {
  const escaped = (part: string) =>
    Array.from(part, (char) => {
      const code = char.codePointAt(0) ?? 0;
      if (code < 0x20 || (code >= 0x7f && code <= 0xff)) return `\\x${code.toString(16).padStart(2, "0")}`;
      return code >= 0xd800 && code <= 0xdfff ? `\\u${code.toString(16)}` : char;
    }).join("");
  if (text.length <= max) return escaped(text);
  const tail = Math.min(40, Math.floor(max / 3));
  return `${escaped(text.slice(0, max - tail))} …[${text.length} chars]… ${escaped(text.slice(-tail))}`;
}

// ---------------------------------------------------------------------------
// JSON with raw tokens: `-0`, `1e999` or `NaN` cannot come out of JSON.stringify.

const RAW = "\u0000raw:";
const raw = (token: string): string => `${RAW}${token}`;

function serialize(value: Json): string {
  return JSON.stringify(value).replace(/"\\u0000raw:((?:[^"\\]|\\.)*)"/g, (_match, token: string) => JSON.parse(`"${token}"`));
}

function formEncode(value: Json): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return serialize(value);
  const form = new URLSearchParams();
  for (const [key, field] of Object.entries(value)) form.append(key, typeof field === "string" ? field.replace(RAW, "") : serialize(field));
  return form.toString();
}

const encode = (mediaType: string, value: Json) => (mediaType.includes("form-urlencoded") ? formEncode(value) : serialize(value));

const byteLength = (body: Body) => (typeof body === "string" ? new TextEncoder().encode(body).length : body.length);

/** Percent-encodes any string as its UTF-8 bytes (lone surrogates included, unlike encodeURIComponent). */
export function percentEncode(text: string): string {
  return Array.from(new TextEncoder().encode(text), (byte) =>
    /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`,
  ).join("");
}

export function base64Url(bytes: Uint8Array): string {
  return btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(""))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

// ---------------------------------------------------------------------------
// What a run prepares: resources of its own to aim at, real cursors and ETags, forged tokens.

export interface CursorSample {
  /** The list path it came from. */
  list: string;
  /** The query it was issued for (without `cursor`). */
  query: string;
  cursor: string;
  payload: JsonObject;
}

export interface Fixtures {
  tag: string;
  products: { id: string; etag: string }[];
  /** A user this run made (never deleted; PATCH may change it). */
  userId: string;
  cursors: CursorSample[];
  /** Bearer tokens that must all be refused or mean something odd: forged, expired, odd claims. */
  tokens: string[];
}

export const b64urlJson = (value: unknown) => base64Url(new TextEncoder().encode(JSON.stringify(value)));

// ---------------------------------------------------------------------------
// Hostile values.

const boundaryNumbers = [
  "-1",
  "0",
  "-0",
  "2147483647",
  "2147483648",
  "-2147483648",
  "-2147483649",
  "4294967296",
  "9007199254740993",
  "1e308",
  "1e309",
  "-1e309",
  "0.5",
  "1e-7",
  "1.0",
  "1E2",
  '"NaN"',
  '"Infinity"',
  '"-0"',
  '"1"',
  "NaN",
  "Infinity",
  "01",
  "0x10",
  "+1",
  ".5",
  "1.",
  "-",
];

const controlTexts = [
  "\u0000",
  "a\u0000b",
  "\u0001",
  "\u001f",
  "\u007f",
  "\u0085",
  "\u2028\u2029",
  "\ufeff",
  "\ud800",
  "\udfff",
  "\u200b",
  "\r\n",
  "\t",
  "\\",
  '"',
  "%00",
  "' OR '1'='1",
  "<script>alert(1)</script>",
  "🧨",
  "e\u0301",
  "Ａ",
];

const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, "", " ", "0", "true", "null", [], {}, [null], { "": null }, "\u0000", ["a"], {
    a: { b: 1 },
  }),
  jsonValue(3),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(...boundaryNumbers).map(raw),
);

const invalidUtf8 = [
  [0xff],
  [0xfe, 0xff],
  [0x80],
  [0xc0, 0xaf],
  [0xc3],
  [0xc3, 0x28],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x00],
  [0x01, 0x1f],
].map((bytes) => Uint8Array.from(bytes));

/** 10k levels of arrays and other deep structures (all within or just over the body limit). */
const deepBodies: { note: string; body: string }[] = [100, 1_000, 10_000, 32_000, 40_000].flatMap((depth) => [
  { note: `deep arrays ${depth}`, body: `${"[".repeat(depth)}${"]".repeat(depth)}` },
  { note: `deep objects ${depth}`, body: `${'{"a":'.repeat(Math.floor(depth / 5))}1${"}".repeat(Math.floor(depth / 5))}` },
  { note: `deep field ${depth}`, body: `{"name":${"[".repeat(depth)}${"]".repeat(depth)},"priceCents":1,"sku":"x"}` },
  { note: `unclosed ${depth}`, body: "[".repeat(depth) },
]);

const junkBodies = [
  "",
  " ",
  "null",
  "[]",
  "{}",
  "1",
  '"x"',
  "true",
  "{",
  "}",
  "{,}",
  '{"a":1,}',
  "{'a':1}",
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  '{"name":"a","name":"b","priceCents":1,"sku":"dup"}',
  "\ufeff{}",
  "a=1&b=2",
  '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--\r\n',
];

const oddContentTypes = [
  undefined,
  "",
  "text/plain",
  "application/json; charset=latin1",
  "application/json; charset=utf-16",
  "application/json;charset=UTF-8",
  "APPLICATION/JSON",
  "application/json ; x=y",
  "application/json, text/plain",
  "application/merge-patch+json",
  "application/vnd.api+json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "multipart/form-data",
  "application/octet-stream",
  "application/",
  "/json",
  ";;;",
  "json",
  "*/*",
  "application/json; boundary=\u00ff",
  "application/json\u0001",
];

const headerText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary-ascii", maxLength: 40 }),
  fc.constantFrom("", " ", "\t", "\u0001", "\u007f", "\u00e9\u00ff", "a,b", '"', "x".repeat(8_000), "=?utf-8?q?x?="),
);

/**
 * Header values a fetch implementation accepts: a ByteString without NUL, CR or LF. workerd
 * re-encodes bytes over 0x7f as UTF-8 (with a warning each), so there they become `?` too.
 */
export const headerSafe = (value: string, ascii: boolean) =>
  Array.from(value, (char) => {
    const code = char.codePointAt(0) ?? 0;
    return code > (ascii ? 0x7f : 0xff) ? "?" : code === 0 || code === 0x0a || code === 0x0d ? " " : char;
  })
    .join("")
    .trim();

// ---------------------------------------------------------------------------
// Generators per operation.

export interface Generators {
  operations: Operation[];
  /** Header values only in ASCII (workerd). */
  asciiHeaders: boolean;
  fixtures: Fixtures;
  context: SchemaContext;
}

const isProducts = (operation: Operation) => operation.template.startsWith("/api/v1/products");
export const isToken = (operation: Operation) => operation.template === "/api/v1/auth/token";
export const withBody = (operation: Operation) => operation.bodies.length > 0;

/** Mostly admin, so requests reach the handlers; some of every lower role and none at all. */
const whoFor = (operation: Operation): fc.Arbitrary<Who> =>
  operation.secured
    ? fc.oneof(
        { arbitrary: fc.constant<Who>("admin"), weight: 6 },
        { arbitrary: fc.constant<Who>("editor"), weight: 2 },
        { arbitrary: fc.constant<Who>("viewer"), weight: 1 },
        { arbitrary: fc.constant<Who>("anonymous"), weight: 1 },
      )
    : fc.constant<Who>("anonymous");

export function idArbitrary(g: Generators, operation: Operation): fc.Arbitrary<string> {
  const random = fc.uuid({ version: 7 });
  if (isProducts(operation)) return fc.oneof(fc.constantFrom(...g.fixtures.products.map((product) => product.id)), random);
  // Users: never a seeded test user; DELETE only ids of nobody.
  return operation.method === "DELETE" ? random : fc.oneof(fc.constant(g.fixtures.userId), random);
}

const hostileId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "01937C5E-8A4B-7C3D-9E2F-0A1B2C3D4E5F",
    "{01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f}",
    "01937c5e8a4b7c3d9e2f0a1b2c3d4e5f",
    "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5fx",
    "1",
    "-1",
    "null",
    "me",
    "..",
    "%",
    "%ZZ",
    "%00",
    "%FF",
    "%E0%A4%A",
    "a%2Fb",
    "' OR 1=1 --",
    "x".repeat(5_000),
  ),
  fc.string({ minLength: 1, maxLength: 40 }).map(percentEncode),
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }).map(percentEncode),
  fc.uuid().map((id) => id.toUpperCase()),
);

/** ETags: real ones, and forged ones for the request's own id mostly (versions past the integer range, weak, lists, junk). */
export function etagArbitrary(g: Generators, pathId: string): fc.Arbitrary<string> {
  const version = fc.oneof(
    fc.constantFrom("0", "1", "2", "2147483647", "2147483648", "4294967296", "9999999999", "99999999999", "-1", "01", "", "1.5", "1e3"),
    fc.nat().map(String),
  );
  const forId = (id: string) =>
    fc.oneof(
      { arbitrary: version.map((v) => `"${id}.${v}"`), weight: 4 },
      fc.constantFrom(`W/"${id}.1"`, `"${id.toUpperCase()}.1"`, `${id}.1`, `"${id}"`, `"${id}.1", "${id}.2"`, `"${id}.1" , *`, `"${id}.1`),
    );
  return fc.oneof(
    { arbitrary: forId(pathId), weight: 5 },
    fc.constantFrom(...g.fixtures.products.map((product) => product.etag), "*"),
    fc.uuid().chain(forId),
    fc.constantFrom('""', ",,,", "*, *", 'W/"*"', '"*"', "W/", '"unterminated', `${'"x", '.repeat(2_000)}*`),
    headerText,
  );
}

/** The `{id}` a request's path names (its last segment), for ETags that speak of it. */
const pathIdOf = (url: string) => url.split("?")[0]?.split("/").at(-1) ?? "";

const idempotencyKey = fc.oneof(
  { arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,64}$/), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      "",
      " ",
      "a b",
      "\u007f",
      "\u00e9",
      "\u0001",
      "k".repeat(255),
      "k".repeat(256),
      "x".repeat(8_000),
      "\tkey\t",
    ),
    weight: 1,
  },
  { arbitrary: headerText, weight: 1 },
);

function queryValue(g: Generators, operation: Operation, name: string, schema: JsonSchema): fc.Arbitrary<string> {
  if (name === "cursor") {
    const own = g.fixtures.cursors.filter((sample) => operation.template === sample.list);
    return own.length > 0 ? fc.constantFrom(...own.map((sample) => sample.cursor)) : fc.constant("");
  }
  return arbitraryFor(schema, g.context, name).map((value) => (typeof value === "string" ? value : serialize(value)));
}

/** The query string of a valid-looking request: each parameter present or not, values from its schema. */
function queryArbitrary(g: Generators, operation: Operation): fc.Arbitrary<string> {
  // `cursor` comes only with the query it was issued for (below): with any other it is a sure 422.
  const parameters = operation.parameters.filter((parameter) => parameter.in === "query" && parameter.name !== "cursor");
  if (parameters.length === 0) return fc.constant("");
  const real = g.fixtures.cursors.filter((sample) => sample.list === operation.template);
  const fromSchema = fc
    .tuple(
      ...parameters.map((parameter) => fc.option(queryValue(g, operation, parameter.name, parameter.schema ?? {}), { nil: undefined })),
    )
    .map((values) =>
      parameters.flatMap((parameter, index) => {
        const value = values[index];
        return value === undefined ? [] : [`${percentEncode(parameter.name)}=${percentEncode(value)}`];
      }),
    )
    .map((pairs) => pairs.join("&"));
  // A real cursor with the very query it was issued for: the next page.
  const nextPage = real.length > 0 ? fc.constantFrom(...real.map((sample) => `${sample.query}&cursor=${sample.cursor}`)) : fromSchema;
  return fc.oneof({ arbitrary: fromSchema, weight: 4 }, { arbitrary: nextPage, weight: 1 });
}

function headerArbitrary(g: Generators, operation: Operation, pathId: string): fc.Arbitrary<Record<string, string>> {
  const parameters = operation.parameters.filter((parameter) => parameter.in === "header");
  const values = parameters.map((parameter) => {
    const name = parameter.name.toLowerCase();
    const value =
      name === "idempotency-key"
        ? fc.stringMatching(/^[\x21-\x7e]{1,64}$/)
        : name === "if-match" || name === "if-none-match"
          ? etagArbitrary(g, pathId)
          : arbitraryFor(parameter.schema ?? {}, g.context, name).map(String);
    return fc.option(value, { nil: undefined });
  });
  return fc.tuple(...values).map((chosen) => {
    const headers: Record<string, string> = {};
    parameters.forEach((parameter, index) => {
      const value = chosen[index];
      if (value !== undefined) headers[parameter.name.toLowerCase()] = headerSafe(value, g.asciiHeaders);
    });
    return headers;
  });
}

interface BodyChoice {
  mediaType: string;
  schema: JsonSchema;
  value: Json;
}

function bodyArbitrary(g: Generators, operation: Operation): fc.Arbitrary<BodyChoice | undefined> {
  if (!withBody(operation)) return fc.constant(undefined);
  return fc.oneof(
    ...operation.bodies.map(({ mediaType, schema }) =>
      arbitraryFor(schema, g.context).map((value): BodyChoice => ({ mediaType, schema, value })),
    ),
  );
}

function pathOf(operation: Operation, id: string, query: string): string {
  const path = operation.template.replace(/\{[^}]+\}/g, id);
  return query ? `${path}?${query}` : path;
}

interface RequestParts {
  who: Who;
  id: string;
  query: string;
  headers: Record<string, string>;
  body: BodyChoice | undefined;
  /** The client address of a login attempt. */
  address: string;
}

export function build(g: Generators, operation: Operation, parts: RequestParts): FuzzRequest {
  const headers = { ...parts.headers };
  // Login attempts count against addresses of this run's own (never one other tests use), one per
  // request mostly, so that the address limit (20 a minute) leaves the attempts to the handler.
  if (isToken(operation)) headers["cf-connecting-ip"] = `fuzz-${g.fixtures.tag}-${parts.address}`;
  if (parts.body) headers["content-type"] = parts.body.mediaType;
  return new FuzzRequest(
    operation.id,
    operation.method,
    pathOf(operation, parts.id, parts.query),
    parts.who,
    headers,
    parts.body ? encode(parts.body.mediaType, parts.body.value) : undefined,
  );
}

/** (a) Valid-looking requests: every part drawn from the operation's own schemas. */
export function validRequest(g: Generators, operation: Operation): fc.Arbitrary<FuzzRequest> {
  return idArbitrary(g, operation).chain((id) =>
    fc
      .record({
        who: whoFor(operation),
        id: fc.constant(id),
        query: queryArbitrary(g, operation),
        headers: headerArbitrary(g, operation, id),
        body: bodyArbitrary(g, operation),
        address: fc.uuid(),
      })
      .map((parts) => build(g, operation, parts)),
  );
}

// ---------------------------------------------------------------------------
// (b) Mutations.

type BodyMutation = { note: string; apply(value: JsonObject): JsonObject };

/** Mutations of a body object whose schema has these properties. */
function bodyMutation(keys: string[]): fc.Arbitrary<BodyMutation> {
  const key = fc.constantFrom(...(keys.length > 0 ? keys : ["name"]));
  const control = fc.oneof(fc.constantFrom("\u0000", "a\u0000b"), fc.constantFrom(...controlTexts));
  return fc.oneof(
    fc.tuple(key, oddValue).map(
      ([name, value]): BodyMutation => ({
        note: `${name}=${excerpt(serialize(value), 40)}`,
        apply: (body) => ({ ...body, [name]: value }),
      }),
    ),
    key.map(
      (name): BodyMutation => ({
        note: `without ${name}`,
        apply: (body) => {
          const copy = { ...body };
          delete copy[name];
          return copy;
        },
      }),
    ),
    fc
      .tuple(
        fc.oneof(
          fc.constantFrom("id", "version", "createdAt", "updatedAt", "passwordHash", "__proto__", "constructor", "", "NAME", "name "),
          fc.string({ maxLength: 12 }),
        ),
        oddValue,
      )
      .map(
        ([name, value]): BodyMutation => ({
          note: `extra ${JSON.stringify(name)}`,
          // defineProperty, so that `__proto__` becomes a key of the body rather than its prototype.
          apply: (body) => Object.defineProperty({ ...body }, name, { value, enumerable: true, writable: true, configurable: true }),
        }),
      ),
    fc
      .tuple(key, fc.constantFrom(...boundaryNumbers))
      .map(([name, token]): BodyMutation => ({ note: `${name}=${token}`, apply: (body) => ({ ...body, [name]: raw(token) }) })),
    fc.tuple(key, control, fc.constantFrom("start", "middle", "end", "only")).map(
      ([name, text, where]): BodyMutation => ({
        note: `${excerpt(text, 20)} at the ${where} of ${name}`,
        apply: (body) => {
          const current = typeof body[name] === "string" ? (body[name] as string) : "ab";
          const middle = Math.floor(current.length / 2);
          const next =
            where === "only"
              ? text
              : where === "start"
                ? text + current
                : where === "end"
                  ? current + text
                  : current.slice(0, middle) + text + current.slice(middle);
          return { ...body, [name]: next };
        },
      }),
    ),
  );
}

/** A body of exactly `size` bytes: one string field filled up (1-, 2- or 3-byte characters). */
export function sizedBody(mediaType: string, value: JsonObject, key: string, size: number, unit: string): Body {
  const at = (count: number) => encode(mediaType, { ...value, [key]: unit.repeat(count) });
  const base = byteLength(at(0));
  const cost = Math.max(1, byteLength(at(1)) - base);
  const units = Math.max(0, Math.floor((size - base) / cost));
  let body = encode(mediaType, { ...value, [key]: unit.repeat(units) + "x".repeat(Math.max(0, size - base - units * cost)) });
  if (byteLength(body) > size) body = at(units);
  return body;
}

export function mutatedRequest(g: Generators, operation: Operation): fc.Arbitrary<FuzzRequest> {
  const keys = [...new Set(operation.bodies.flatMap((body) => Object.keys(body.schema.properties ?? {})))];
  return fc
    .record({
      who: whoFor(operation),
      id: idArbitrary(g, operation),
      query: queryArbitrary(g, operation),
      headers: fc.constant({}),
      body: bodyArbitrary(g, operation),
      address: fc.uuid(),
      // Mostly one mutation, so that a request is wrong in one way only and gets past the others' checks.
      mutations: fc.oneof(
        { arbitrary: fc.array(bodyMutation(keys), { minLength: 1, maxLength: 1 }), weight: 3 },
        { arbitrary: fc.array(bodyMutation(keys), { minLength: 2, maxLength: 3 }), weight: 1 },
      ),
      // One request in four is sized around the body limit by one of its fields.
      size: fc.oneof(
        { arbitrary: fc.constant(null), weight: 3 },
        {
          arbitrary: fc.tuple(
            fc.constantFrom(...(keys.length > 0 ? keys : ["name"])),
            fc.constantFrom(BODY_LIMIT - 1, BODY_LIMIT, BODY_LIMIT + 1, BODY_LIMIT + 4_096, 2 * BODY_LIMIT, 10_000),
            fc.constantFrom("x", "é", "€", "\u0000", '"'),
          ),
          weight: 1,
        },
      ),
    })
    .map(({ mutations, size, ...parts }) => {
      const request = build(g, operation, parts);
      const choice = parts.body;
      if (!choice || choice.value === null || typeof choice.value !== "object" || Array.isArray(choice.value)) return request;
      let value = choice.value;
      for (const mutation of mutations) value = mutation.apply(value);
      const notes = mutations.map((mutation) => mutation.note);
      if (size) {
        const [key, bytes, unit] = size;
        notes.push(`${key} filled to a ${bytes}-byte body with ${excerpt(unit, 10)}`);
        return request.with({ body: sizedBody(choice.mediaType, value, key, bytes, unit) }, notes.join(", "));
      }
      return request.with({ body: encode(choice.mediaType, value) }, notes.join(", "));
    });
}

/** Raw bodies: invalid UTF-8, NUL and control bytes, deep nesting, junk; and odd content types. */
export function hostileBodyRequest(g: Generators, operation: Operation): fc.Arbitrary<FuzzRequest> {
  const splice = fc.tuple(fc.nat(), fc.constantFrom(...invalidUtf8)).map(([at, bytes]) => ({ at, bytes }));
  return fc
    .record({
      request: validRequest(g, operation),
      kind: fc.constantFrom("invalid utf-8", "deep", "junk", "random bytes", "bom", "utf-16"),
      splices: fc.array(splice, { minLength: 1, maxLength: 3 }),
      deep: fc.constantFrom(...deepBodies),
      junk: fc.oneof(fc.constantFrom(...junkBodies), fc.string({ unit: "binary", maxLength: 60 })),
      bytes: fc.uint8Array({ maxLength: 120 }),
      contentType: fc.option(fc.constantFrom(...oddContentTypes), { freq: 3 }),
    })
    .map(({ request, kind, splices, deep, junk, bytes, contentType }) => {
      const base = new TextEncoder().encode(typeof request.body === "string" ? request.body : '{"name":"x","priceCents":1,"sku":"x"}');
      let body: Body;
      let note: string = kind;
      switch (kind) {
        case "invalid utf-8": {
          let out = base;
          for (const { at, bytes: inserted } of splices) {
            // Inside a string value where there is one, so it reaches the validator, not only the parser.
            const quote = out.indexOf(0x22, at % Math.max(1, out.length));
            const position = quote >= 0 ? quote + 1 : at % (out.length + 1);
            out = concat(out.subarray(0, position), inserted, out.subarray(position));
          }
          body = out;
          note = `invalid utf-8 ${splices.map((s) => Array.from(s.bytes, (b) => b.toString(16)).join(" ")).join(" | ")}`;
          break;
        }
        case "deep":
          body = deep.body;
          note = deep.note;
          break;
        case "junk":
          body = junk;
          break;
        case "random bytes":
          body = bytes;
          break;
        case "bom":
          body = concat(Uint8Array.from([0xef, 0xbb, 0xbf]), base);
          break;
        default: {
          const text = new TextDecoder().decode(base);
          const utf16 = new Uint8Array(text.length * 2);
          for (let index = 0; index < text.length; index++) {
            utf16[index * 2] = text.charCodeAt(index) & 0xff;
            utf16[index * 2 + 1] = text.charCodeAt(index) >> 8;
          }
          body = utf16;
        }
      }
      const headers = { ...request.headers };
      if (contentType !== null) {
        if (contentType === undefined) delete headers["content-type"];
        else headers["content-type"] = headerSafe(contentType, g.asciiHeaders);
        note += `, content-type ${contentType === undefined ? "missing" : JSON.stringify(contentType)}`;
      } else if (!headers["content-type"]) headers["content-type"] = "application/json";
      return request.with({ headers, body }, note);
    });
}

/** Odd headers on otherwise valid-looking requests. */
export function oddHeaderRequest(g: Generators, operation: Operation): fc.Arbitrary<FuzzRequest> {
  const tokens = g.fixtures.tokens;
  const authorization = fc.oneof(
    fc.constantFrom(
      "",
      "Bearer",
      "Bearer ",
      "Bearer  x",
      "bearer x.y.z",
      "Basic dXNlcjpwYXNzd29yZA==",
      "Bearer a.b.c",
      "Token x",
      "Bearer ===",
    ),
    { arbitrary: fc.constantFrom(...tokens).map((token) => `Bearer ${token}`), weight: 4 },
    fc.constantFrom(...tokens).map((token) => `bearer ${token}`),
    fc.constantFrom(...tokens).map((token) => `Bearer ${token}, Bearer ${token}`),
    fc.constant(`Bearer ${"a".repeat(10_000)}`),
    headerText.map((text) => `Bearer ${text}`),
    headerText,
  );
  // Headers the operation declares are where the handlers look: they get most of the draws.
  const declared = new Set(
    operation.parameters.filter((parameter) => parameter.in === "header").map((parameter) => parameter.name.toLowerCase()),
  );
  const weight = (name: string) =>
    declared.has(name) || (name === "content-type" && withBody(operation)) ? 5 : name === "authorization" && operation.secured ? 3 : 1;
  const candidates = (pathId: string): [string, fc.Arbitrary<string>][] => [
    ["authorization", authorization],
    ["idempotency-key", idempotencyKey],
    ["if-match", etagArbitrary(g, pathId)],
    ["if-none-match", etagArbitrary(g, pathId)],
    ["content-type", fc.constantFrom(...oddContentTypes.filter((type) => type !== undefined))],
    ["x-request-id", headerText],
    ["accept", headerText],
    ["origin", fc.constantFrom("null", "http://evil.example", "*", "file://")],
    ["cf-connecting-ip", headerText.map((value) => `fuzz-${g.fixtures.tag}-${value}`)],
    ["x-forwarded-for", headerText],
    ["x-forwarded-proto", headerText],
    ["x-http-method-override", headerText],
  ];
  const header = (pathId: string) =>
    fc.oneof(
      ...candidates(pathId).map(([name, value]) => ({ arbitrary: value.map((text) => [name, text] as const), weight: weight(name) })),
    );
  return validRequest(g, operation).chain((request) =>
    fc.array(header(pathIdOf(request.url)), { minLength: 1, maxLength: 4 }).map((changes) => {
      const headers = { ...request.headers };
      const notes: string[] = [];
      for (const [name, value] of changes) {
        headers[name] = headerSafe(value, g.asciiHeaders);
        notes.push(`odd ${name}`);
      }
      return request.with({ headers }, notes.join(", "));
    }),
  );
}

/** Forged cursors: random base64url, JSON of the wrong shape, right shape with hostile values, another sort's, another list's. */
function forgedCursor(g: Generators, operation: Operation): fc.Arbitrary<{ query: string; note: string }> {
  const own = g.fixtures.cursors.filter((sample) => sample.list === operation.template);
  const all = g.fixtures.cursors;
  const sample = fc.constantFrom(...(own.length > 0 ? own : all));
  const two = (n: number) => String(n).padStart(2, "0");
  // Shaped like an issued key, with fields past their ranges: Feb 30, year 0, 24:00, second 60.
  const dateLike = fc
    .tuple(
      fc.oneof(fc.constantFrom(0, 1, 1969, 1970, 2026, 9999), fc.integer({ min: 0, max: 9_999 })),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
      fc.integer({ min: 0, max: 61 }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(
      ([y, mo, d, h, mi, sec, ms]) =>
        `${String(y).padStart(4, "0")}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(sec)}.${String(ms).padStart(3, "0")}Z`,
    );
  // fast-check leans to small numbers: the edges of the column's range are drawn on purpose.
  const integerLike: fc.Arbitrary<Json> = fc.oneof(
    {
      arbitrary: fc.constantFrom(2_147_483_647, 2_147_483_648, -2_147_483_648, -2_147_483_649, 9_007_199_254_740_991, 1e20, 1e308),
      weight: 3,
    },
    { arbitrary: fc.constantFrom(-1, 0, -0, 0.5), weight: 1 },
    { arbitrary: fc.integer(), weight: 1 },
    { arbitrary: fc.maxSafeInteger(), weight: 1 },
  );
  const textLike: fc.Arbitrary<Json> = fc.oneof(
    fc.constantFrom("", "\u0000", "a\u0000", "\ud800", "x".repeat(400), "x".repeat(401), "%", "_", "\\"),
    fc.string({ unit: "binary", maxLength: 30 }),
  );
  const anyKey: fc.Arbitrary<Json> = fc.oneof(integerLike, textLike, dateLike, fc.constantFrom<Json>(null, [], {}, true));
  /** A key of the sort's own type (that is where the cast to the column happens), or of any other. */
  const keyFor = (sort: unknown): fc.Arbitrary<Json> => {
    const column = String(sort).replace(/^-/, "");
    const impossibleDates = fc.constantFrom(
      "2026-02-30T00:00:00.000Z",
      "2026-04-31T00:00:00.000Z",
      "0000-01-01T00:00:00.000Z",
      "2026-01-01T24:00:00.000Z",
      "2026-12-31T23:59:60.000Z",
    );
    const own = column === "createdAt" ? fc.oneof(dateLike, impossibleDates) : column === "priceCents" ? integerLike : textLike;
    return fc.oneof({ arbitrary: own, weight: 4 }, { arbitrary: anyKey, weight: 1 });
  };
  const otherField = fc.tuple(
    fc.constantFrom("i", "s", "f", "x"),
    fc.oneof(
      anyKey,
      fc.uuid().map((id): Json => id.toUpperCase()),
    ),
  );
  const bytes = (text: string) => new TextEncoder().encode(text);
  const cursorWith = (query: string, cursor: string) => `${query}&cursor=${cursor}`;
  return fc.oneof(
    {
      // The right shape for this very query, with a hostile key: it reaches the SQL.
      arbitrary: sample.chain((s) =>
        keyFor(s.payload.s).map((value) => ({
          query: cursorWith(s.query, b64urlJson({ ...s.payload, k: value })),
          note: `cursor k=${excerpt(JSON.stringify(value) ?? "", 40)} (${String(s.payload.s)})`,
        })),
      ),
      weight: 8,
    },
    fc.tuple(sample, otherField).map(([s, [field, value]]) => ({
      query: cursorWith(s.query, b64urlJson({ ...s.payload, [field]: value })),
      note: `cursor ${field}=${excerpt(JSON.stringify(value) ?? "", 40)}`,
    })),
    fc
      .tuple(sample, fc.constantFrom("createdAt", "-createdAt", "name", "-name", "priceCents", "-priceCents", "email", "-email"))
      .map(([s, sort]) => ({
        query: cursorWith(s.query.replace(/sort=[^&]*/, `sort=${sort}`), s.cursor),
        note: `cursor of another sort (${sort})`,
      })),
    fc.tuple(sample, fc.constantFrom("q=zzz", "minPrice=1", "currency=EUR", "role=admin", "limit=100")).map(([s, extra]) => ({
      query: cursorWith(`${s.query}&${extra}`, s.cursor),
      note: `cursor with other filters (${extra})`,
    })),
    fc.constantFrom(...all).map((s) => ({ query: `cursor=${s.cursor}`, note: `cursor of ${s.list}` })),
    fc.tuple(sample, fc.nat(), fc.constantFrom("A", "_", "-", "=", "+", "/", "%3D", ".", "")).map(([s, at, char]) => {
      const position = at % (s.cursor.length + 1);
      return { query: cursorWith(s.query, s.cursor.slice(0, position) + char + s.cursor.slice(position + 1)), note: "cursor edited" };
    }),
    fc
      .tuple(sample, fc.nat())
      .map(([s, at]) => ({ query: cursorWith(s.query, s.cursor.slice(0, at % s.cursor.length)), note: "cursor truncated" })),
    fc.uint8Array({ maxLength: 200 }).map((data) => ({ query: `cursor=${base64Url(data)}`, note: "cursor random base64url" })),
    jsonValue(3).map((value) => ({ query: `cursor=${b64urlJson(value)}`, note: "cursor json of wrong shape" })),
    fc
      .constantFrom(...invalidUtf8)
      .map((data) => ({ query: `cursor=${base64Url(concat(bytes('{"s":"'), data, bytes('"}')))}`, note: "cursor invalid utf-8" })),
    fc.string({ maxLength: 40 }).map((text) => ({ query: `cursor=${percentEncode(text)}`, note: "cursor random text" })),
    fc.constantFrom("", "=", "====", "a", "a".repeat(1_024), "a".repeat(1_025), "a".repeat(100_000)).map((text) => ({
      query: `cursor=${text}`,
      note: `cursor ${excerpt(text, 12)}`,
    })),
  );
}

const oddQueryValues = [
  "",
  "-1",
  "0",
  "-0",
  "101",
  "2147483647",
  "2147483648",
  "99999999999",
  "1e3",
  "1e308",
  "NaN",
  "Infinity",
  "1.5",
  "0x10",
  " 1",
  "1 ",
  "１",
  "9".repeat(400),
  "%",
  "%ZZ",
  "%00",
  "%FF%FE",
  "%E0%A4%A",
  "a".repeat(2_000),
];

/** Odd query strings: odd values for each declared parameter, unknown and repeated names, broken encodings. */
function queryMutation(operation: Operation): fc.Arbitrary<{ query: string; note: string }> {
  const names = [...operation.parameters.filter((p) => p.in === "query").map((p) => p.name), "unknown", "limit[]", "__proto__", ""];
  const value = fc.oneof(fc.constantFrom(...oddQueryValues), fc.string({ maxLength: 20 }).map(percentEncode));
  const pair = fc.tuple(fc.constantFrom(...names), value).map(([name, text]) => `${name}=${text}`);
  return fc.oneof(
    fc
      .array(pair, { minLength: 1, maxLength: 3 })
      .map((pairs) => ({ query: pairs.join("&"), note: `query ${excerpt(pairs.join("&"), 60)}` })),
    fc.constantFrom(...names).map((name) => ({ query: `${name}=1&${name}=2`, note: `query ${name} twice` })),
    fc
      .constantFrom("&&&", "=", "=x", "q", "limit", "?", "#", "a=%", `q=${"%25".repeat(3_000)}`)
      .map((query) => ({ query, note: `query ${query.slice(0, 20)}` })),
  );
}

export const isList = (operation: Operation) =>
  operation.method === "GET" && operation.parameters.some((parameter) => parameter.name === "cursor");

/** The list operations: forged cursors mostly, odd query strings otherwise. */
export function listQueryRequest(g: Generators, operation: Operation): fc.Arbitrary<FuzzRequest> {
  const change = fc.oneof({ arbitrary: forgedCursor(g, operation), weight: 3 }, { arbitrary: queryMutation(operation), weight: 1 });
  return fc.tuple(validRequest(g, operation), change).map(([request, { query, note }]) => {
    const [path = ""] = request.url.split("?");
    return request.with({ url: `${path}?${query}` }, note);
  });
}

/** Hostile ids, odd query strings, methods the path does not have, paths next to the real ones. */
export function hostileLocatorRequest(g: Generators, operation: Operation): fc.Arbitrary<FuzzRequest> {
  const hasId = operation.template.includes("{");
  const mutation = fc.oneof(
    ...(hasId
      ? [{ arbitrary: hostileId.map((id) => ({ kind: "id" as const, id, query: "", note: `id ${excerpt(id, 40)}` })), weight: 3 }]
      : []),
    queryMutation(operation).map((change) => ({ kind: "query" as const, id: "", ...change })),
    fc
      .constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")
      .map((method) => ({ kind: "method" as const, id: method, query: "", note: `method ${method}` })),
    fc
      .constantFrom(
        "/",
        "/api",
        "/api/v1",
        "/api/v1/",
        "/api/v2/products",
        "/api/v1/products/",
        "/api/v1//products",
        "/API/V1/PRODUCTS",
        "/api/v1/products/../users",
        "/docs/../api/v1/users",
        "/%2e%2e/api",
      )
      .map((path) => ({ kind: "path" as const, id: path, query: "", note: `path ${path}` })),
  );
  return fc.tuple(validRequest(g, operation), mutation).map(([request, change]) => {
    const [path = "", query = ""] = request.url.split("?");
    switch (change.kind) {
      case "id": {
        const url = operation.template.replace(/\{[^}]+\}/g, change.id);
        return request.with({ url: query ? `${url}?${query}` : url }, change.note);
      }
      case "query":
        return request.with({ url: `${path}?${change.query}` }, change.note);
      case "method":
        return request.with(
          change.id === "GET" || change.id === "HEAD" ? { method: change.id, body: undefined } : { method: change.id },
          change.note,
        );
      default:
        return request.with({ url: change.id }, change.note);
    }
  });
}
