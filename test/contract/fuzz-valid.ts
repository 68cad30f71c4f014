import type { Schema } from "@cfworker/json-schema";
import fc from "fast-check";
import { build, etagArbitrary, type FuzzRequest, type Generators, headerSafe, idArbitrary, percentEncode } from "./fuzz-requests";
import { arbitraryFor, type Json, type JsonSchema, type Operation, type SchemaContext } from "./fuzz-schema";
import { schemaValidators } from "./openapi-check";

/**
 * Requests that are valid by the document: every parameter, header and body drawn from its
 * schema and kept only where the schema accepts it (with the validator the response check uses).
 * The few rules the document can state only in words are kept too, each named here:
 * - a new password is neither a common one nor a trivial pattern (`aaaa…`, `abcd…`);
 * - `minPrice` is not above `maxPrice`;
 * - a `cursor` comes with the query it was issued for;
 * - an `Idempotency-Key` is not reused for another request.
 * Such a request may be refused for what it meets (404, 409, 412; 401 for a wrong password;
 * 429 for too many), never as invalid: no 422.
 */
export function documentValidRequests(context: SchemaContext): (g: Generators, operation: Operation) => fc.Arbitrary<FuzzRequest> {
  const validatorFor = schemaValidators(context.document as Parameters<typeof schemaValidators>[0]);
  const conforms = (schema: JsonSchema) => (value: Json) => validatorFor(schema as Schema).validate(value).valid;
  // Long, random, and never a pattern: what a real client's password generator makes.
  const strongPassword = fc.uuid().map((id) => `fuzz ${id}`);
  const withRules: SchemaContext = { ...context, hints: { ...context.hints, password: strongPassword } };
  const valid = (schema: JsonSchema, name?: string) => arbitraryFor(schema, withRules, name).filter(conforms(schema));

  function query(g: Generators, operation: Operation): fc.Arbitrary<string> {
    const parameters = operation.parameters.filter((parameter) => parameter.in === "query" && parameter.name !== "cursor");
    const drawn = fc
      .tuple(...parameters.map((parameter) => fc.option(valid(parameter.schema ?? {}, parameter.name), { nil: undefined })))
      .map((values) => {
        const chosen = new Map(
          parameters.flatMap((parameter, index) => (values[index] === undefined ? [] : [[parameter.name, values[index]]])),
        );
        const [low, high] = [chosen.get("minPrice"), chosen.get("maxPrice")];
        if (typeof low === "number" && typeof high === "number" && low > high) {
          chosen.set("minPrice", high);
          chosen.set("maxPrice", low);
        }
        return [...chosen]
          .map(([name, value]) => `${percentEncode(name)}=${percentEncode(typeof value === "string" ? value : String(value))}`)
          .join("&");
      });
    const issued = g.fixtures.cursors.filter((sample) => sample.list === operation.template);
    if (issued.length === 0) return drawn;
    const nextPage = fc.constantFrom(...issued.map((sample) => `${sample.query}&cursor=${sample.cursor}`));
    return fc.oneof({ arbitrary: drawn, weight: 4 }, { arbitrary: nextPage, weight: 1 });
  }

  function headers(g: Generators, operation: Operation, id: string): fc.Arbitrary<Record<string, string>> {
    const parameters = operation.parameters.filter((parameter) => parameter.in === "header");
    const values = parameters.map((parameter) => {
      const name = parameter.name.toLowerCase();
      if (name === "idempotency-key")
        return fc.option(
          fc.uuid().map((key) => `valid-${key}`),
          { nil: undefined },
        );
      const value =
        name === "if-match" || name === "if-none-match" ? etagArbitrary(g, id) : valid(parameter.schema ?? {}, name).map(String);
      return fc.option(value.map((text) => headerSafe(text, g.asciiHeaders)).filter(conforms(parameter.schema ?? {})), { nil: undefined });
    });
    return fc
      .tuple(...values)
      .map((chosen) =>
        Object.fromEntries(
          parameters.flatMap((parameter, index) => (chosen[index] === undefined ? [] : [[parameter.name.toLowerCase(), chosen[index]]])),
        ),
      );
  }

  return (g, operation) =>
    idArbitrary(g, operation).chain((id) =>
      fc
        .record({
          // Authorised for every operation: a role too low is refused before validation, which would prove nothing.
          who: fc.constant(operation.secured ? ("admin" as const) : ("anonymous" as const)),
          id: fc.constant(id),
          query: query(g, operation),
          headers: headers(g, operation, id),
          body:
            operation.bodies.length === 0
              ? fc.constant(undefined)
              : fc.oneof(...operation.bodies.map(({ mediaType, schema }) => valid(schema).map((value) => ({ mediaType, schema, value })))),
          address: fc.uuid(),
        })
        .map((parts) => build(g, operation, parts)),
    );
}
