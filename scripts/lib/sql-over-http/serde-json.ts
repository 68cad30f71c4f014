/**
 * JSON as the proxy's serde_json (1.0, no `preserve_order`, no
 * `arbitrary_precision`) reads and re-prints it, for the parameters
 * `json_to_pg_text` turns into text: integers stay integers, other numbers
 * become f64 printed by ryu ("1.0", "1e21"), object keys come out sorted.
 */

/** A JSON number with the literal it was written as (serde decides its kind from the literal). */
export class JsonNumber {
  constructor(readonly source: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

const U64_MAX = 2n ** 64n - 1n;
const I64_MIN = -(2n ** 63n);

/** JSON.parse that keeps each number's source text (Node 22 passes it to the reviver). */
export function parseJson(text: string): JsonValue {
  return JSON.parse(text, (_key: string, value: unknown, context?: { source?: string }) => {
    if (typeof value !== "number") return value;
    if (!Number.isFinite(value)) throw new SyntaxError("number out of range");
    return new JsonNumber(context?.source ?? String(value));
  });
}

/** ryu's `format64` (shortest round-trip digits, then its own layout). */
export function formatF64(x: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa = "", exponent = "0"] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const length = digits.length;
  const kk = Number(exponent) + 1; // 10^(kk-1) <= |x| < 10^kk
  const k = kk - length;
  if (k >= 0 && kk <= 16) return `${sign}${digits}${"0".repeat(k)}.0`;
  if (kk > 0 && kk <= 16) return `${sign}${digits.slice(0, kk)}.${digits.slice(kk)}`;
  if (kk > -5 && kk <= 0) return `${sign}0.${"0".repeat(-kk)}${digits}`;
  if (length === 1) return `${sign}${digits}e${kk - 1}`;
  return `${sign}${digits.slice(0, 1)}.${digits.slice(1)}e${kk - 1}`;
}

/** serde_json's `Number` display: u64 / i64 when the literal is an integer in range, else f64. */
export function formatNumber(number: JsonNumber): string {
  if (/^-?\d+$/.test(number.source)) {
    const integer = BigInt(number.source);
    if (integer >= I64_MIN && integer <= U64_MAX) return integer.toString();
  }
  return formatF64(Number(number.source));
}

/** Rust orders `String` keys by their UTF-8 bytes. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** `Value::to_string()`: compact, keys sorted (serde_json's default `Map` is a BTreeMap). */
export function serdeToString(value: JsonValue): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (value instanceof JsonNumber) return formatNumber(value);
  if (Array.isArray(value)) return `[${value.map(serdeToString).join(",")}]`;
  const entries = Object.keys(value)
    .sort(byteOrder)
    .map((key) => `${JSON.stringify(key)}:${serdeToString(value[key] ?? null)}`);
  return `{${entries.join(",")}}`;
}
