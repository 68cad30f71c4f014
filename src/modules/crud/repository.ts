// The repository of every CRUD resource: its statements (db/resource-statements.ts), one per call on
// the success path, and the domain errors of its failures (core/domain-errors.ts).
import { type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { VerifiedPrincipal } from "../../core/auth/jwt";
import { NotFound, VersionMismatch } from "../../core/domain-errors";
import { uuidv7 } from "../../core/uuid";
import type { Database } from "../../db/database";
import { keysetPage, keysetPosition } from "../../db/keyset";
import { boundAsText, LIST_PLACEHOLDERS, type ResourceStatements, target } from "../../db/resource-statements";
import type { FieldKey, ResourceInput, ResourceOf, ResourcePatch, ResourceTable } from "../../db/resource-table";
import { firstRow } from "../../db/rows";
import { likePattern } from "../../db/search";
import type { WriteErrors } from "../../db/write-errors";
import { IdempotencyRepository } from "../idempotency/idempotency.repository";
import type { IdempotencyScope } from "../idempotency/idempotency-scope";
import { roleCheck } from "../users/stored-role";
import type { ListQuery } from "./schemas";

const DEFAULT_LIMIT = 20;
const DEFAULT_SORT = "-createdAt";

/** What the repository needs to know of its resource (see `defineResource`). */
export interface RepositoryDeclaration<Table extends ResourceTable> {
  table: Table;
  /** Every column by its property name. */
  columns: Readonly<Record<string, PgColumn>>;
  /** The stored answer's body of an idempotent create, built once (db/created-json.ts). */
  answerBody: SQL;
  /** `Product`, `Stock item`: for NotFound. */
  title: string;
  statements: ResourceStatements<Table>;
  writeErrors: WriteErrors;
  fieldKeys: readonly FieldKey<Table>[];
  filterNames: readonly string[];
  /** The value of each optional field omitted on create and PUT. */
  defaults: Readonly<Record<string, unknown>>;
}

/** The ETag and Location of a created resource: the handler's function, also used for the stored idempotent answer. */
export type CreatedHeaders = (created: { id: string; version: number }) => Record<string, string>;

export interface Page<Row> {
  data: Row[];
  nextCursor: string | null;
}

/** A Drizzle-mapped row (instants as `Date`) as the API's. */
const apiRow = <Row>(row: Record<string, unknown>): Row =>
  Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value])) as Row;

export class ResourceRepository<Table extends ResourceTable> {
  constructor(
    private readonly resource: RepositoryDeclaration<Table>,
    private readonly db: Database,
  ) {}

  async list(query: ListQuery): Promise<Page<ResourceOf<Table>>> {
    const { statements, filterNames } = this.resource;
    const request = {
      sort: query.sort ?? DEFAULT_SORT,
      columns: statements.sortColumns,
      idColumn: this.resource.table.id,
      limit: query.limit ?? DEFAULT_LIMIT,
      cursor: query.cursor,
      filters: [query.q ?? null, ...filterNames.map((name) => query[name] ?? null)],
    };
    const position = keysetPosition(request);
    const statement = statements.list({
      sort: request.sort,
      q: query.q !== undefined,
      filters: filterNames.map((name) => query[name] !== undefined),
      after: position !== undefined,
    });
    const rows = await statement(this.db, {
      ...Object.fromEntries(filterNames.map((name) => [name, query[name]])),
      [LIST_PLACEHOLDERS.q]: query.q === undefined ? undefined : likePattern(query.q),
      [LIST_PLACEHOLDERS.afterKey]: position?.key,
      [LIST_PLACEHOLDERS.afterId]: position?.id,
      // One row more than the page tells whether a next page exists, without a COUNT.
      [LIST_PLACEHOLDERS.limit]: request.limit + 1,
    });
    const page = keysetPage(request, rows as (ResourceOf<Table> & { id: string } & Record<string, unknown>)[]);
    return { data: page.rows, nextCursor: page.nextCursor };
  }

  async getById(id: string): Promise<ResourceOf<Table>> {
    const [row] = await this.resource.statements.selectById(this.db, { id });
    if (!row) throw new NotFound(this.resource.title);
    return row;
  }

  /**
   * Inserts the resource. With an idempotency scope, the same statement also stores the answer
   * under the key (a data-modifying CTE): both or neither.
   */
  async create(
    input: ResourceInput<Table>,
    idempotency: IdempotencyScope | undefined,
    headers: CreatedHeaders,
  ): Promise<ResourceOf<Table>> {
    const values = { id: uuidv7(), ...this.fullValues(input) };
    const { table, columns, writeErrors } = this.resource;
    if (!idempotency) {
      const rows = await this.resource.statements.insert(this.db, values).catch(writeErrors.write);
      return firstRow(rows);
    }
    // Drizzle's builders are typed for one known table; the kit builds for any, so it hands them the plain table type.
    const into: PgTable = table;
    const rows = await new IdempotencyRepository(this.db)
      .createWithAnswer(
        idempotency,
        (fencedId) =>
          this.db
            .insert(into)
            .values({ ...boundValues(values, columns), id: fencedId(values.id) })
            .returning(),
        // A new row's version is 1 (the column's default): its headers are known before it exists.
        { body: this.resource.answerBody, headers: sql`${JSON.stringify(headers({ id: values.id, version: 1 }))}::json` },
        (statement, created) => statement.select().from(created),
      )
      .catch(writeErrors.write);
    return apiRow(firstRow(rows as Record<string, unknown>[]));
  }

  /** Full replacement: omitted optional fields go back to their defaults. */
  replace(id: string, input: ResourceInput<Table>, expectedVersion: number | undefined): Promise<ResourceOf<Table>> {
    return this.update(id, this.fullValues(input), expectedVersion);
  }

  /** JSON merge patch: only present fields change; null clears a nullable one. */
  patch(id: string, input: ResourcePatch<Table>, expectedVersion: number | undefined): Promise<ResourceOf<Table>> {
    const present = input as Record<string, unknown>;
    const changes = Object.fromEntries(
      this.resource.fieldKeys.filter((key) => present[key] !== undefined).map((key) => [key, present[key]]),
    );
    return this.update(id, changes, expectedVersion);
  }

  /** Deletes it; with `expectedVersion`, only that version; the caller's stored role must be admin. */
  async remove(id: string, expectedVersion: number | undefined, caller: VerifiedPrincipal): Promise<void> {
    const check = roleCheck(caller, "admin");
    const statement = this.resource.statements.remove({ pinned: expectedVersion !== undefined, guarded: check !== undefined });
    const rows = await statement(this.db, { ...target(id, expectedVersion), ...check }).catch(this.resource.writeErrors.remove);
    if (rows.length === 0) await this.explainMiss(id);
  }

  /** Every field's value of a full write: omitted optional fields take their defaults. */
  private fullValues(input: ResourceInput<Table>): Record<string, unknown> {
    const given = input as Record<string, unknown>;
    return Object.fromEntries(
      this.resource.fieldKeys.map((key) => [key, given[key] === undefined ? (this.resource.defaults[key] ?? null) : given[key]]),
    );
  }

  /**
   * One conditional UPDATE: the version check and the write are the same
   * statement, so of two writers holding one ETag exactly one matches.
   */
  private async update(id: string, changes: Record<string, unknown>, expectedVersion: number | undefined): Promise<ResourceOf<Table>> {
    const statement = this.resource.statements.update({
      fields: this.resource.fieldKeys.filter((key) => Object.hasOwn(changes, key)),
      pinned: expectedVersion !== undefined,
    });
    const rows = await statement(this.db, { ...changes, ...target(id, expectedVersion) }).catch(this.resource.writeErrors.write);
    const [row] = rows;
    if (!row) return this.explainMiss(id);
    return row;
  }

  /** Only on the failure path: tell a missing row (NotFound) from a stale version (VersionMismatch). */
  private async explainMiss(id: string): Promise<never> {
    const version = await this.resource.statements.currentVersion(this.db, id);
    if (version === undefined) throw new NotFound(this.resource.title);
    throw new VersionMismatch(version);
  }
}

/** Values for Drizzle's own insert, bound as the prepared statements bind them (see `boundAsText`). */
function boundValues(values: Record<string, unknown>, columns: Readonly<Record<string, PgColumn>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => {
      const column = columns[key];
      return [key, column && boundAsText(column) ? sql`${value}::timestamptz` : value];
    }),
  );
}
