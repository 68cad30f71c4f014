/**
 * One statement the way the proxy's `query_raw_txt` runs it
 * (libs/proxy/tokio-postgres2/src/query.rs): the extended protocol with the
 * unnamed statement, text parameters and text results, even without
 * parameters, so text with several statements fails as on Neon. Rows are
 * handed over one by one as they arrive (node-postgres keeps none), so a
 * response limit can stop a huge result early.
 */
import pg from "pg";
import { statementError } from "./errors";

export interface Field {
  name: string;
  dataTypeID: number;
  tableID: number;
  columnID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
}

export interface Completion {
  fields: Field[];
  /** First word of the command tag ("" when Postgres sent none, e.g. for an empty query). */
  command: string;
  /** The count the tag carries (INSERT's second number), or null when it has none. */
  rowCount: number | null;
}

/** Every value stays Postgres' text: no type parsing at all. */
const RAW_TEXT: pg.CustomTypesConfig = { getTypeParser: () => (value: string) => value };

function fieldsOf(result: pg.QueryResultBase | undefined): Field[] {
  return (result?.fields ?? []).map(({ name, dataTypeID, tableID, columnID, dataTypeSize, dataTypeModifier }) => ({
    name,
    dataTypeID,
    tableID,
    columnID,
    dataTypeSize,
    dataTypeModifier,
  }));
}

function textValues(row: unknown): (string | null)[] {
  if (!Array.isArray(row)) throw new Error("expected an array row");
  return row.map((value: unknown) => (typeof value === "string" ? value : null));
}

/**
 * Runs `text` with `params`; `onRow` sees the fields and each row's text
 * values, and may throw to stop the statement (the caller then discards the
 * connection, which is mid-result). Postgres errors reject as `statementError`.
 */
export function runQuery(
  client: pg.ClientBase,
  text: string,
  params: (string | null)[],
  onRow: (fields: Field[], values: (string | null)[]) => void,
): Promise<Completion> {
  // `queryMode` is node-postgres' switch to Parse/Bind/Execute for every statement (lib/query.js), absent from @types/pg.
  const config: pg.QueryArrayConfig & { queryMode: "extended" } = {
    text,
    values: params,
    rowMode: "array",
    types: RAW_TEXT,
    queryMode: "extended",
  };
  const query = new pg.Query(config);
  return new Promise<Completion>((resolve, reject) => {
    let fields: Field[] | undefined;
    let stopped = false;
    query.on("row", (row: unknown, result?: pg.QueryResultBase) => {
      if (stopped) return;
      try {
        fields ??= fieldsOf(result);
        onRow(fields, textValues(row));
      } catch (error) {
        stopped = true;
        reject(error);
      }
    });
    query.on("error", (error) => reject(statementError(error)));
    query.on("end", (result: pg.QueryResultBase) => {
      // node-postgres reads the tag as /^([A-Za-z]+)(?: (\d+))?(?: (\d+))?/ (lib/result.js): the same word and count the proxy takes.
      resolve({ fields: fieldsOf(result), command: result.command ?? "", rowCount: result.rowCount ?? null });
    });
    client.query(query);
  });
}
