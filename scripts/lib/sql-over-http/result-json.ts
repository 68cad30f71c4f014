/**
 * One statement's result written as the proxy's `query_to_json`
 * (sql_over_http.rs) writes it, straight into the response text:
 * `{"fields":[…],"rows":[…],"command":…,"rowCount":…,"rowAsArray":…}`.
 */

import type pg from "pg";
import { responseTooLarge } from "./errors";
import type { QueryData } from "./payload";
import { rowToJson } from "./pg-text-json";
import type { RequestFlags } from "./request";
import { type Field, runQuery } from "./run-query";

/** The response text so far and its size in bytes (what the proxy's limit measures). */
export class ResponseText {
  private readonly parts: string[] = [];
  bytes = 0;

  write(text: string): void {
    this.parts.push(text);
    this.bytes += Buffer.byteLength(text);
  }

  toString(): string {
    return this.parts.join("");
  }
}

function fieldsJson(fields: readonly Field[]): string {
  const entries = fields.map(
    (f) =>
      `{"name":${JSON.stringify(f.name)},"dataTypeID":${f.dataTypeID},"tableID":${f.tableID},"columnID":${f.columnID},` +
      `"dataTypeSize":${f.dataTypeSize},"dataTypeModifier":${f.dataTypeModifier},"format":"text"}`,
  );
  return `[${entries.join(",")}]`;
}

/**
 * Runs `data` and appends its result to `out`. Before each row the whole
 * response so far is measured, and past `maxBytes` the answer is 507
 * ("to prevent OOM from a malicious query"): like the proxy, a single row
 * may take the response past the limit; the next row is refused.
 */
export async function queryToJson(
  client: pg.ClientBase,
  data: QueryData,
  flags: RequestFlags,
  out: ResponseText,
  maxBytes: number,
): Promise<void> {
  const arrayMode = data.arrayMode ?? flags.arrayMode;
  let columns: { typeIds: number[]; names: string[] } | undefined;
  let rows = 0;
  const start = (fields: readonly Field[]) => {
    if (columns) return columns;
    out.write(`{"fields":${fieldsJson(fields)},"rows":[`);
    columns = { typeIds: fields.map((f) => f.dataTypeID), names: fields.map((f) => f.name) };
    return columns;
  };
  const completion = await runQuery(client, data.query, data.params, (fields, values) => {
    const { typeIds, names } = start(fields);
    if (out.bytes > maxBytes) throw responseTooLarge(maxBytes);
    const json = rowToJson(values, typeIds, names, flags.rawTextOutput, arrayMode);
    out.write(rows === 0 ? json : `,${json}`);
    rows += 1;
  });
  start(completion.fields);
  out.write(`],"command":${JSON.stringify(completion.command)},"rowCount":${completion.rowCount ?? "null"},"rowAsArray":${arrayMode}}`);
}
