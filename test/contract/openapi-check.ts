import { type Schema, Validator } from "@cfworker/json-schema";
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/config";

/**
 * Checks a response against the OpenAPI document the service serves: the operation is found by
 * method and path template; its status must be documented, with the documented content type,
 * every required header (and a value its schema allows) and a body valid against the schema
 * (OpenAPI 3.1 = JSON Schema 2020-12).
 *
 * The validator is @cfworker/json-schema, which interprets schemas and runs unchanged in Node and
 * workerd. Ajv compiles them with `new Function`: the Vitest Workers pool happens to allow that
 * (probed), deployed workerd does not ("Code generation from strings disallowed"), so a check
 * built on it would hold only as long as the test pool's leniency does.
 */

interface HeaderObject {
  required?: boolean;
  schema?: Schema;
}

interface ResponseObject {
  headers?: Record<string, HeaderObject>;
  content?: Record<string, { schema?: Schema }>;
}

interface OperationObject {
  operationId?: string;
  responses: Record<string, ResponseObject>;
}

export interface CheckedDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
}

/** What was sent, as far as the check needs it. */
export interface SentRequest {
  method: string;
  url: string;
}

export class ContractViolation extends Error {
  override name = "ContractViolation";
}

/**
 * Served for people and for Prometheus, not part of the API the document describes: the document
 * itself, the docs UIs and their assets, Node's metrics.
 */
const UNDOCUMENTED_ON_PURPOSE = [/^\/openapi\.json$/, /^\/docs(\/.*)?$/, /^\/redoc$/, /^\/vendor\//, /^\/metrics$/];

const PROBLEM = "application/problem+json";
/** Where component schemas live once gathered under one root, so `$ref`s resolve in the validator. */
const ROOT = "https://openapi.invalid/document";

const METHODS = new Set(["get", "put", "post", "delete", "patch", "options", "head"]);

function withResolvableRefs<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, field: unknown) =>
      key === "$ref" && typeof field === "string" ? field.replace(/^#\/components\/schemas\//, `${ROOT}#/$defs/`) : field,
    ),
  ) as T;
}

interface Template {
  path: string;
  matcher: RegExp;
  operations: Record<string, OperationObject>;
  /** Fewer parameters first: `/users/me` wins over `/users/{id}`. */
  parameters: number;
}

function templatesOf(document: CheckedDocument): Template[] {
  return Object.entries(document.paths)
    .map(([path, item]) => {
      const pattern = path
        .split("/")
        .map((segment) => (/^\{.+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("/");
      const operations = Object.fromEntries(Object.entries(item).filter(([method]) => METHODS.has(method)));
      return { path, matcher: new RegExp(`^${pattern}$`), operations, parameters: (path.match(/\{/g) ?? []).length };
    })
    .sort((a, b) => a.parameters - b.parameters);
}

const mediaTypeOf = (response: Response) => response.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? null;

export interface ResponseChecker {
  check(request: SentRequest, response: Response): Promise<void>;
}

/** Validators of the document's schemas (`$ref`s to its components resolved), one per schema object. */
export function schemaValidators(document: Pick<CheckedDocument, "components">): (schema: Schema) => Validator {
  const definitions = withResolvableRefs(document.components?.schemas ?? {});
  const validators = new WeakMap<object, Validator>();
  return (schema) => {
    let validator = validators.get(schema);
    if (!validator) {
      validator = new Validator(withResolvableRefs(schema), "2020-12", false);
      validator.addSchema({ $id: ROOT, $defs: definitions });
      validators.set(schema, validator);
    }
    return validator;
  };
}

export function createResponseChecker(document: CheckedDocument): ResponseChecker {
  const templates = templatesOf(document);
  const validatorFor = schemaValidators(document);
  const problemSchema: Schema = { $ref: "#/components/schemas/Problem" };

  function checkHeaders(where: string, documented: ResponseObject, response: Response): string[] {
    const failures: string[] = [];
    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      const value = response.headers.get(name);
      if (value === null) {
        if (header.required) failures.push(`${where}: required header ${name} is missing`);
        continue;
      }
      const schema = header.schema ?? {};
      const typed = schema.type === "integer" && /^-?\d+$/.test(value) ? Number(value) : value;
      const result = validatorFor(schema).validate(typed);
      if (!result.valid) failures.push(`${where}: header ${name}: ${JSON.stringify(value)} is not allowed (${result.errors[0]?.error})`);
    }
    return failures;
  }

  async function checkBody(where: string, documented: ResponseObject, request: SentRequest, response: Response): Promise<string[]> {
    const text = await response.text();
    const mediaType = mediaTypeOf(response);
    const content = documented.content ?? {};
    if (Object.keys(content).length === 0) {
      return text === ""
        ? []
        : [`${where}: documented without a body, but answered ${mediaType ?? "(no content-type)"}: ${text.slice(0, 200)}`];
    }
    if (mediaType === null || !(mediaType in content))
      return [`${where}: content type ${mediaType ?? "(none)"} is not one of ${Object.keys(content).join(", ")}`];
    // HEAD has the headers of a GET and no body; a 304 neither.
    if (request.method === "HEAD" || response.status === 304) return text === "" ? [] : [`${where}: a body on HEAD or 304`];
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`${where}: the body is not JSON: ${text.slice(0, 200)}`];
    }
    const schema = content[mediaType]?.schema;
    if (!schema) return [];
    const result = validatorFor(schema).validate(body);
    if (!result.valid) {
      const errors = result.errors
        .filter((error) => error.keyword !== "properties" && error.keyword !== "$ref" && error.keyword !== "allOf")
        .slice(0, 5)
        .map((error) => `${error.instanceLocation}: ${error.error}`);
      return [`${where}: the body does not match its schema: ${errors.join("; ")}\n  body: ${text.slice(0, 400)}`];
    }
    return [];
  }

  /** Outside any documented operation (an unknown path, another method): a problem, as every error is. */
  async function checkProblem(where: string, request: SentRequest, response: Response, documented?: ResponseObject) {
    const failures = documented ? checkHeaders(where, documented, response) : [];
    return [
      ...failures,
      ...(await checkBody(where, documented ?? { content: { [PROBLEM]: { schema: problemSchema } } }, request, response)),
    ];
  }

  return {
    async check(request, response) {
      const url = new URL(request.url);
      const method = request.method.toLowerCase();
      const where = `${request.method} ${url.pathname} → ${response.status}`;
      if (UNDOCUMENTED_ON_PURPOSE.some((pattern) => pattern.test(url.pathname))) return;
      const template = templates.find((candidate) => candidate.matcher.test(url.pathname));
      // `/users/` is not `/users`: the router is strict, so a trailing slash names no operation.
      const operations = url.pathname.length > 1 && url.pathname.endsWith("/") ? {} : (template?.operations ?? {});
      const operation = operations[method] ?? (method === "head" ? operations.get : undefined);
      let failures: string[];
      if (!template) {
        failures = response.status >= 400 ? await checkProblem(where, request, response) : [`${where}: a path the document does not have`];
      } else if (!operation) {
        // Another method on a known path: OPTIONS lists the methods (or is a CORS preflight); the rest are refused, 405 or
        // earlier (401 before the router, 413 before the token): answers the path's operations document.
        if (method === "options" && response.status === 204) return;
        const documented = Object.values(template.operations)
          .map((candidate) => candidate.responses[String(response.status)])
          .find((candidate) => candidate !== undefined);
        failures = documented
          ? await checkProblem(where, request, response, documented)
          : [`${where}: no operation of ${template.path} documents ${response.status}`];
      } else {
        const id = `${where} (${operation.operationId ?? template.path})`;
        const documented = operation.responses[String(response.status)] ?? operation.responses[`${String(response.status)[0]}XX`];
        failures = documented
          ? [...checkHeaders(id, documented, response), ...(await checkBody(id, documented, request, response))]
          : [`${id}: status ${response.status} is not documented (documented: ${Object.keys(operation.responses).join(", ")})`];
      }
      if (failures.length > 0) throw new ContractViolation(`the response breaks the OpenAPI document:\n${failures.join("\n")}`);
    },
  };
}

let documentChecker: Promise<ResponseChecker> | undefined;

/**
 * The document as the service serves it, built from the app without I/O: the same for every target,
 * including one deliberately misconfigured (which serves no document of its own).
 */
function checkerOfTheServedDocument(): Promise<ResponseChecker> {
  documentChecker ??= Promise.resolve(
    createApp({ config: loadConfig({ ENVIRONMENT: "test", LOG_LEVEL: "silent" }) }).request("/openapi.json"),
  )
    .then((response) => response.json() as Promise<CheckedDocument>)
    .then(createResponseChecker);
  return documentChecker;
}

/**
 * Wraps a sender so every response it returns is checked against the OpenAPI document; a response that
 * breaks it fails the request (ContractViolation). The caller gets the response untouched: the check reads a clone.
 */
export function checkedAgainstDocument(send: (request: Request) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    const sent = { method: request.method, url: request.url };
    const response = await send(request);
    await (await checkerOfTheServedDocument()).check(sent, response.clone());
    return response;
  };
}
