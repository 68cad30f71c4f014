/**
 * Postgres text values to JSON text, as `pg_text_row_to_json` and
 * `pg_text_to_json` (proxy/src/serverless/json.rs) write them: raw text
 * output keeps every value a string; otherwise booleans, int2/int4 and finite
 * floats become JSON booleans / numbers, json/jsonb is inlined, arrays are
 * parsed, and everything else (int8 and numeric included) stays a string.
 */
import { ARRAY_ELEMENT_TYPES, BOOL, FLOAT4, FLOAT8, INT2, INT4, JSON_TYPE, JSONB } from "./array-types";
import { SqlOverHttpError } from "./errors";
import { formatF64 } from "./serde-json";

/** `JsonConversionError`: the proxy answers 500 "could not parse postgres response". */
const unparsable = () => new SqlOverHttpError(500, "could not parse postgres response");

/** The array delimiter: the proxy always uses ',' (its "todo: we should fetch this from postgres"). */
const DELIMITER = ",";

/**
 * One row. In object mode every column writes its key, so duplicate column
 * names appear twice in the JSON text (a JSON parser keeps the last), as the
 * proxy's streaming `ObjectSer` does.
 */
export function rowToJson(
  values: readonly (string | null)[],
  typeIds: readonly number[],
  names: readonly string[],
  raw: boolean,
  arrayMode: boolean,
): string {
  const parts = values.map((value, i) => {
    const json = value === null ? "null" : raw ? JSON.stringify(value) : pgTextToJson(value, typeIds[i] ?? 0);
    return arrayMode ? json : `${JSON.stringify(names[i] ?? "")}:${json}`;
  });
  return arrayMode ? `[${parts.join(",")}]` : `{${parts.join(",")}}`;
}

function parseInt32(text: string): string {
  // Rust's `str::parse::<i32>`: optional sign, digits, nothing else.
  if (!/^[+-]?\d+$/.test(text)) throw unparsable();
  const value = Number(text);
  if (value < -(2 ** 31) || value > 2 ** 31 - 1) throw unparsable();
  return String(value);
}

function parseFloat64(text: string): string {
  if (!/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|infinity|nan)$/i.test(text)) throw unparsable();
  const value = Number(
    text
      .replace(/^([+-]?)inf$/i, "$1Infinity")
      .replace(/^([+-]?)infinity$/i, "$1Infinity")
      .replace(/^[+-]?nan$/i, "NaN"),
  );
  // NaN and ±Infinity stay strings: JSON has no such numbers.
  return Number.isFinite(value) ? formatF64(value) : JSON.stringify(text);
}

export function pgTextToJson(text: string, typeId: number): string {
  const element = ARRAY_ELEMENT_TYPES.get(typeId);
  if (element !== undefined) return parseArray(text, element);
  switch (typeId) {
    case BOOL:
      return text === "t" ? "true" : "false";
    case INT2:
    case INT4:
      return parseInt32(text);
    case FLOAT4:
    case FLOAT8:
      return parseFloat64(text);
    case JSON_TYPE:
    case JSONB:
      // "we assume that the string value is valid json"
      return text;
    default:
      return JSON.stringify(text);
  }
}

/** `pg_array_parse`: bounds decoration (`[1:2]=`) is dropped; dimensions are not checked. */
function parseArray(text: string, element: number): string {
  let rest = text;
  if (rest.startsWith("[")) {
    const equals = rest.indexOf("=");
    if (equals < 0) throw unparsable();
    rest = rest.slice(equals + 1);
  }
  const [json, after] = parseInner(rest.trimStart(), element);
  if (after !== "") throw unparsable();
  return json;
}

/** `pg_array_parse_inner`: one `{…}` level. Like the proxy, `{}` reads as one empty item. */
function parseInner(text: string, element: number): [string, string] {
  if (!text.startsWith("{")) throw unparsable();
  let rest = text.slice(1);
  const items: string[] = [];
  for (;;) {
    const [item, after] = parseItem(rest, element);
    items.push(item);
    rest = after;
    if (!rest.startsWith(DELIMITER)) break;
    rest = rest.slice(DELIMITER.length);
  }
  if (!rest.startsWith("}")) throw unparsable();
  return [`[${items.join(",")}]`, rest.slice(1).trimStart()];
}

/** `pg_array_parse_item`: a nested array, a quoted item (backslash escapes), or a bare item up to `,` / `}`. */
function parseItem(text: string, element: number): [string, string] {
  const rest = text.trimStart();
  if (rest.startsWith("{")) return parseInner(rest, element);
  if (rest.startsWith('"')) {
    const [value, after] = parseQuoted(rest.slice(1));
    return [pgTextToJson(value, element), after];
  }
  const end = rest.search(/[,}]/);
  if (end < 0) throw unparsable();
  const item = rest.slice(0, end).trimEnd();
  return [item === "NULL" ? "null" : pgTextToJson(item, element), rest.slice(end)];
}

function parseQuoted(text: string): [string, string] {
  let value = "";
  let rest = text;
  for (;;) {
    const stop = rest.search(/["\\]/);
    if (stop < 0) throw unparsable();
    value += rest.slice(0, stop);
    if (rest[stop] === '"') return [value, rest.slice(stop + 1).trimStart()];
    const escaped = rest[stop + 1];
    if (escaped === undefined) throw unparsable();
    value += escaped;
    rest = rest.slice(stop + 2);
  }
}
