import fc from "fast-check";

/**
 * The part of OpenAPI 3.1 / JSON Schema that the service's document uses, and a
 * small mapper from it to fast-check arbitraries of "valid-looking" values.
 * Anything the mapper does not know becomes an arbitrary JSON value.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

export interface JsonSchema {
  $ref?: string;
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: (string | number | boolean | null)[];
  const?: string | number | boolean | null;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  nullable?: boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: JsonSchema;
}

interface OperationObject {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** One operation of the document, flattened for request generation. */
export interface Operation {
  id: string;
  method: string;
  /** Path template, e.g. `/api/v1/products/{id}`. */
  template: string;
  parameters: Parameter[];
  /** Request body media types and their (resolved) schemas; empty when the operation takes no body. */
  bodies: { mediaType: string; schema: JsonSchema }[];
  /** False for operations with `security: []` (health, token). */
  secured: boolean;
}

const httpMethods = new Set(["get", "put", "post", "delete", "patch", "options", "head"]);

export function resolveRef(document: OpenApiDocument, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; current.$ref !== undefined && depth < 10; depth++) {
    const name = current.$ref.replace(/^#\/components\/schemas\//, "");
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`unresolvable $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

/** Every operation in the document, in document order. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!httpMethods.has(method)) continue;
      operations.push({
        id: operation.operationId ?? `${method} ${template}`,
        method: method.toUpperCase(),
        template,
        parameters: operation.parameters ?? [],
        bodies: Object.entries(operation.requestBody?.content ?? {}).map(([mediaType, media]) => ({
          mediaType,
          schema: resolveRef(document, media.schema ?? {}),
        })),
        secured: (operation.security ?? [{}]).length > 0,
      });
    }
  }
  return operations;
}

export interface SchemaContext {
  document: OpenApiDocument;
  /** Arbitraries that replace the mapper for a property of this name (e.g. tagged e-mails). */
  hints?: Record<string, fc.Arbitrary<Json>>;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Strings the schema allows, mostly short, sometimes exactly at the maximum length. */
function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength;
  const fits = (value: string) => value.length >= min && (max === undefined || value.length <= max);
  if (schema.format === "uuid") return fc.oneof(fc.uuid({ version: 7 }), fc.uuid());
  if (schema.format === "date-time")
    return fc
      .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2999-12-31T23:59:59Z"), noInvalidDate: true })
      .map((date) => date.toISOString());
  if (schema.format === "email") return emailArbitrary("fuzz");
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  const shortMax = Math.min(max ?? min + 24, min + 24);
  const short = fc.oneof(
    { arbitrary: fc.string({ minLength: min, maxLength: shortMax }), weight: 4 },
    { arbitrary: fc.string({ minLength: min, maxLength: shortMax, unit: "grapheme" }).filter(fits), weight: 2 },
  );
  if (max === undefined || max > 10_000) return short;
  return fc.oneof({ arbitrary: short, weight: 6 }, { arbitrary: fc.string({ minLength: max, maxLength: max }), weight: 1 });
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum === undefined ? undefined : schema.exclusiveMinimum + (integer ? 1 : 0));
  const max = schema.maximum ?? (schema.exclusiveMaximum === undefined ? undefined : schema.exclusiveMaximum - (integer ? 1 : 0));
  if (integer) {
    const low = min ?? INT32_MIN;
    const high = max ?? INT32_MAX;
    // Unbounded integers (query `limit`, `minPrice`) are mostly small, so requests get past validation.
    const usual = min === undefined && max === undefined ? fc.integer({ min: 0, max: 200 }) : fc.integer({ min: low, max: high });
    return fc.oneof({ arbitrary: usual, weight: 5 }, { arbitrary: fc.constantFrom(low, high), weight: 1 });
  }
  return fc.double({ noNaN: true, noDefaultInfinity: true, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) });
}

/** An arbitrary of values the schema accepts (or nearly: pattern-free strings may still fail a refinement). */
export function arbitraryFor(input: JsonSchema, context: SchemaContext, name?: string): fc.Arbitrary<Json> {
  const hint = name === undefined ? undefined : context.hints?.[name];
  if (hint) return hint;
  const schema = resolveRef(context.document, input);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) {
    // Alternatives beside properties of their own (TokenRequest: which fields each grant needs) each add to that base.
    const base = { ...schema };
    delete base.anyOf;
    delete base.oneOf;
    const standalone = base.properties === undefined && base.type === undefined;
    return fc.oneof(
      ...alternatives.map((alternative) => arbitraryFor(standalone ? alternative : merged(base, alternative), context, name)),
    );
  }
  if (schema.allOf?.length === 1 && schema.allOf[0]) return arbitraryFor(schema.allOf[0], context, name);
  if (Array.isArray(schema.type)) {
    const types = schema.type;
    return fc.oneof(...types.map((type) => arbitraryFor({ ...schema, type }, context, name)));
  }
  const nullable =
    schema.nullable === true ? (value: fc.Arbitrary<Json>) => fc.option(value, { nil: null }) : (value: fc.Arbitrary<Json>) => value;
  switch (schema.type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return nullable(fc.boolean());
    case "integer":
      return nullable(numberArbitrary(schema, true));
    case "number":
      return nullable(numberArbitrary(schema, false));
    case "string":
      return nullable(stringArbitrary(schema));
    case "array":
      return nullable(
        fc.array(arbitraryFor(schema.items ?? {}, context), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 4, (schema.minItems ?? 0) + 4),
        }),
      );
    case "object":
      return nullable(objectArbitrary(schema, context));
    default:
      return jsonValue(2);
  }
}

/** `base` narrowed by `alternative`: its properties win, and both lists of required ones apply. */
function merged(base: JsonSchema, alternative: JsonSchema): JsonSchema {
  return {
    ...base,
    ...alternative,
    properties: { ...base.properties, ...alternative.properties },
    required: [...new Set([...(base.required ?? []), ...(alternative.required ?? [])])],
  };
}

function objectArbitrary(schema: JsonSchema, context: SchemaContext): fc.Arbitrary<JsonObject> {
  const properties = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<Json>> = {};
  for (const [key, property] of Object.entries(properties)) model[key] = arbitraryFor(property, context, key);
  const required = (schema.required ?? []).filter((key) => key in properties);
  return fc.record(model, { requiredKeys: required }).map((record) => {
    const object: JsonObject = {};
    for (const [key, value] of Object.entries(record)) if (value !== undefined) object[key] = value;
    return object;
  });
}

/** Any JSON value (fast-check's own JsonValue type allows `undefined` members). */
export const jsonValue = (maxDepth: number): fc.Arbitrary<Json> => fc.json({ maxDepth }).map((text): Json => JSON.parse(text));

/** Plausible e-mail addresses carrying `tag`, so users a run creates are recognisable. */
export function emailArbitrary(tag: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,15}$/), fc.constantFrom("example.com", "fuzz.test", "xn--bcher-kva.example"))
    .map(([local, domain]) => `${local}.${tag}@${domain}`);
}
