// Values of each field for the generated contract test, as TypeScript source: valid ones (`tag` makes
// unique values unique), other valid ones for PUT and PATCH, ordered ones for sorts, and invalid ones.
import { INT4_MAX, INT4_MIN, TEXT_MAX } from "../../../src/modules/crud/fields";
import { capitaliseFirst } from "../../../src/modules/crud/names";
import type { Field } from "../model";
import { STRING_LENGTH } from "../resolve";

/** The lowest and highest int a field takes, within the kit's bounds. */
function intRange(field: Field): { low: number; high: number } {
  const top = field.type === "bigint" ? Number.MAX_SAFE_INTEGER : INT4_MAX;
  const bottom = field.type === "bigint" ? Number.MIN_SAFE_INTEGER : INT4_MIN;
  return { low: field.api.min ?? bottom, high: field.api.max ?? top };
}

/** The first of `candidates` the field's bounds allow. */
const withinBounds = (field: Field, candidates: number[]) => {
  const { low, high } = intRange(field);
  return candidates.find((value) => value >= low && value <= high) ?? low;
};

/** A random int the field takes: from 0 (or its minimum) up, over at most `span` values. */
function randomWithin(field: Field, span: number): string {
  const { low, high } = intRange(field);
  const from = Math.max(low, 0);
  return `${from} + randomInt(${Math.max(1, Math.min(span, high - from))})`;
}

/** Text of a varchar: long samples are cut from the front, so the tag (which lists scope by) stays whole where it fits. */
const fitted = (field: Field, text: string) => {
  const length = field.length ?? STRING_LENGTH;
  return length < 40 ? `${text}.slice(-${length})` : text;
};

/** A valid value and another one differing from it (for PUT and PATCH), for any spec's field. */
function valuePair(field: Field): [string, string] {
  const fixed = (sample: string, other: string): [string, string] => [sample, other];
  const both = (value: string): [string, string] => [value, value];
  switch (field.type) {
    case "string":
      return field.unique
        ? fixed(fitted(field, `\`${field.name}-\${tag}\``), fitted(field, `\`${field.name}-b-\${tag}\``))
        : fixed(fitted(field, `\`${capitaliseFirst(field.name)} \${tag}\``), fitted(field, "`Other ${tag}`"));
    case "char":
      return field.unique
        ? fixed(`tag.slice(-${field.length}).padStart(${field.length}, "0")`, `tag.slice(-${field.length}).padStart(${field.length}, "1")`)
        : fixed(JSON.stringify("A".repeat(field.length ?? 1)), JSON.stringify("B".repeat(field.length ?? 1)));
    case "text":
      return fixed(`\`${field.name} of \${tag}\``, "`changed ${tag}`");
    case "int":
    case "bigint":
      // Random draws from a wide span are as good as unique; fixed ones stay within the field's bounds.
      return field.unique ? both(randomWithin(field, field.type === "int" ? 2_000_000_000 : 9_000_000_000_000)) : intPair(field);
    case "bool":
      return fixed("true", "false");
    case "decimal":
      return field.unique ? fixed("`${randomInt(1_000_000)}.25`", "`-${randomInt(1_000_000)}.75`") : fixed('"12.50"', '"-3.75"');
    case "timestamp":
      return field.unique
        ? fixed(
            "new Date(Date.UTC(2026, 0, 1) + randomInt(100_000_000_000)).toISOString()",
            "new Date(Date.UTC(2027, 0, 1) + randomInt(100_000_000_000)).toISOString()",
          )
        : fixed('"2026-01-02T03:04:05.678Z"', '"2027-06-07T08:09:10.111Z"');
    case "uuid":
      return fixed(field.unique ? "crypto.randomUUID()" : '"01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f"', "crypto.randomUUID()");
    case "enum":
      return fixed(JSON.stringify(field.enumValues[0]), JSON.stringify(field.enumValues[1] ?? field.enumValues[0]));
    case "ref":
      return both('""');
  }
}

/** Two distinct fixed ints the field takes, its example first where the spec gives one. */
function intPair(field: Field): [string, string] {
  const sample = typeof field.api.example === "number" ? field.api.example : withinBounds(field, [7, 0]);
  return [
    String(sample),
    String(
      withinBounds(
        field,
        [-42, 42, sample + 1, sample - 1].filter((value) => value !== sample),
      ),
    ),
  ];
}

/** A valid JSON sample; its example where the spec gives one and the value need neither be unique nor carry the tag. */
export function sampleValue(field: Field): string {
  // Searched fields carry the tag: lists in the test find their own rows by it (`q`).
  if (field.api.example !== undefined && !field.unique && !field.search) return JSON.stringify(field.api.example);
  return valuePair(field)[0];
}

/** Another valid value (for PUT and PATCH), differing from `sampleValue`. */
export function otherValue(field: Field): string {
  return valuePair(field)[1];
}

/**
 * The `index`-th of values that sort in that order wherever Postgres runs (they differ in one ASCII
 * digit or in number), for a sort's test; `base` is a random number of the test. Undefined where the
 * spec's rules (a pattern, a char's padding) leave no such values to make up; a reference's fresh rows differ anyway.
 */
export function orderedValue(field: Field, index: number): string | undefined {
  if (field.api.pattern) return undefined;
  switch (field.type) {
    case "string":
    case "text":
      return `\`${capitaliseFirst(field.name)} \${tag}-${index}\``;
    case "int": {
      const from = Math.max(intRange(field).low, 0);
      return `${from} + (base % ${Math.max(1, Math.min(1_000_000, intRange(field).high - from - 2))}) + ${index}`;
    }
    case "decimal":
      return `\`\${base + ${index}}.25\``;
    case "timestamp":
      return `new Date(Date.UTC(2026, 0, 1) + base + ${index}).toISOString()`;
    case "uuid":
      return `\`0000000${index}-0000-4000-8000-\${base.toString(16).padStart(12, "0")}\``;
    case "enum":
      return index < field.enumValues.length ? JSON.stringify([...field.enumValues].sort()[index]) : undefined;
    default:
      return undefined;
  }
}

/** A value of the wrong type or out of range, and why, for the validation table. */
export function invalidValues(field: Field): [string, string][] {
  const { low, high } = intRange(field);
  const length = field.length ?? STRING_LENGTH;
  const textMax = field.api.max ?? TEXT_MAX;
  const values: Record<Field["type"], [string, string][]> = {
    string: field.api.pattern
      ? [["number", "5"]]
      : [
          ["blank", '"   "'],
          [`over ${length}`, `"x".repeat(${length + 1})`],
          ["NUL byte", '"a\\u0000b"'],
          ["number", "5"],
        ],
    char: [
      [`over ${length}`, `"x".repeat(${length + 1})`],
      ["number", "5"],
    ],
    text: [
      [`over ${textMax}`, `"x".repeat(${textMax + 1})`],
      ["number", "5"],
    ],
    int: [
      ["fraction", "1.5"],
      [low === INT4_MIN ? "over int32" : `below ${low}`, low === INT4_MIN ? String(INT4_MAX + 1) : String(low - 1)],
      ...(high === INT4_MAX ? [] : ([[`over ${high}`, String(high + 1)]] as [string, string][])),
      ["string", '"7"'],
    ],
    bigint: [
      ["fraction", "1.5"],
      ["unsafe integer", "2 ** 53"],
      ["string", '"7"'],
    ],
    bool: [["string", '"true"']],
    decimal: [
      ["number", "12.5"],
      ["three places", '"1.234"'],
      ["not a number", '"abc"'],
    ],
    timestamp: [
      ["not a date", '"yesterday"'],
      ["number", "1700000000000"],
    ],
    uuid: [["not a uuid", '"nope"']],
    ref: [["not a uuid", '"nope"']],
    enum: [["unknown value", '"not-a-kind"']],
  };
  const list = values[field.type];
  return field.optional ? list : [...list, ["null", "null"]];
}
