/**
 * `json_to_pg_text` (proxy/src/serverless/json.rs): JSON parameters to the
 * text Postgres receives. Strings pass as they are, null is SQL NULL,
 * booleans / numbers / objects are their JSON text, arrays become Postgres
 * array literals.
 */
import { JsonNumber, type JsonValue, serdeToString } from "./serde-json";

export function jsonToPgText(value: JsonValue): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return jsonArrayToPgArray(value);
  return serdeToString(value);
}

/**
 * `json_array_to_pg_array`: inside an array strings keep their JSON quotes
 * and escapes (Postgres accepts `{1,"2",3}`), objects become quoted JSON
 * text, nulls NULL; element types are left for Postgres to check.
 */
function jsonArrayToPgArray(value: JsonValue): string | null {
  if (value === null) return null;
  if (Array.isArray(value)) return `{${value.map((item) => jsonArrayToPgArray(item) ?? "NULL").join(",")}}`;
  if (typeof value === "object" && !(value instanceof JsonNumber)) return JSON.stringify(serdeToString(value));
  return serdeToString(value);
}
