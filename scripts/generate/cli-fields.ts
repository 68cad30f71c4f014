// The CLI's fields, `<name>:<type>[?][:unique][:sort]`, as a spec's fields, with the CLI's list conventions:
// `q` searches the text fields, and references, enums and booleans are equality filters.
import { namesOf } from "../../src/modules/crud/names";
import { toKebab } from "./model";
import { Refusal } from "./refusal";
import type { FieldSpec } from "./spec";

const FIELD =
  /^([a-zA-Z][a-zA-Z0-9_-]*):(string(?:\(\d+\))?|char\(\d+\)|text|int|bigint|bool|decimal|timestamp|uuid|enum\([^)]*\)|ref\(([^)]*)\))(\?)?((?::unique|:sort)*)$/;
const SIMPLE_TYPES = "string, text, int, bigint, bool, decimal, timestamp, uuid";

export function cliField(argument: string): FieldSpec {
  const match = FIELD.exec(argument);
  if (!match)
    throw new Refusal(
      `cannot parse field "${argument}": expected <name>:<type>[?][:unique][:sort] with type one of ${SIMPLE_TYPES}, enum(a|b|c), ref(<resource>).`,
    );
  const [, name = "", type = "", referenced, question, flags = ""] = match;
  const optional = question !== undefined;
  const kind = type.replace(/\(.*$/, "");
  const target = referenced === undefined ? undefined : namesOf(toKebab(referenced.trim()));
  return {
    name,
    type,
    optional,
    unique: flags.includes(":unique"),
    sort: flags.includes(":sort"),
    search: ["string", "char", "text"].includes(kind),
    filters: ["ref", "enum", "bool"].includes(kind) ? [{ op: "eq" }] : [],
    // A bare uuid column would be "A UUID."; a reference says what it names.
    ...(target ? { description: `Id of ${target.article} ${target.words}${optional ? ", or null" : ""}.` } : {}),
  };
}
