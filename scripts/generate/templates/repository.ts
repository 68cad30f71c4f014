import { flagBits, isOverlongStatementName } from "../../../src/db/prepared";
import type { Field, Resource } from "../model";
import { toRow } from "./field-code";
import { filterFields, searchFields } from "./schemas";

/** Every one of `count` flags set, as `flagBits` writes it in a statement's name. */
const allFlags = (count: number) => flagBits(Array.from({ length: count }, () => true));

/** The longest name one of the resource's statements can take, when it is over the bytes Postgres keeps (`rowStatement` would refuse it). */
export function overlongStatementName(resource: Resource): string | undefined {
  const prefix = resource.names.snakePlural;
  const listFlags = (searchFields(resource).length > 0 ? 1 : 0) + filterFields(resource).length + 1;
  const longest = [
    `${prefix}_select_by_id`,
    `${prefix}_insert`,
    `${prefix}_update_${allFlags(resource.fields.length)}_v`,
    `${prefix}_list_1_${allFlags(listFlags)}`,
    `${prefix}_delete_any_r`,
  ].reduce((longest, name) => (name.length > longest.length ? name : longest));
  return isOverlongStatementName(longest) ? longest : undefined;
}

export function repositoryTemplate(resource: Resource): string {
  const { names, fields } = resource;
  const P = names.pascal;
  const t = names.camelPlural;
  const prefix = names.snakePlural;
  const search = searchFields(resource);
  const filters = filterFields(resource);
  const refs = fields.filter((field) => field.type === "ref");
  // Drizzle's timestamp encoder calls toISOString() even on null, so a nullable instant is bound as ISO text, past the encoder.
  const asText = fields.filter((field) => field.type === "timestamp" && field.optional);
  const toWrite = (field: Field, value: string) =>
    asText.includes(field) ? `${value} === null ? null : new Date(${value}).toISOString()` : toRow(field, value);
  const filterValues = [...(search.length > 0 ? ["query.q ?? null"] : []), ...filters.map((field) => `query.${field.name} ?? null`)];
  const writable = fields.map((field) => JSON.stringify(field.name)).join(", ");
  const asTextNames = asText.map((field) => JSON.stringify(field.name)).join(" | ");
  const writableType =
    asText.length === 0
      ? `Pick<${P}Row, (typeof WRITABLE)[number]>`
      : `Omit<Pick<${P}Row, (typeof WRITABLE)[number]>, ${asTextNames}> & Record<${asTextNames}, string | null>`;
  const fullValues = fields
    .map((field) => {
      const value = `input.${field.name}`;
      if (field.optional && field.type === "timestamp")
        return `    ${field.name}: ${value} === undefined || ${value} === null ? null : new Date(${value}).toISOString(),`;
      if (field.optional) return `    ${field.name}: ${value} ?? null,`;
      return `    ${field.name}: ${toRow(field, value)},`;
    })
    .join("\n");
  const placeholders = fields
    .map((field) =>
      asText.includes(field)
        ? `  // Past the encoder, as ISO text: Drizzle's timestamp encoder calls toISOString() even on null.\n  ${field.name}: sql\`\${placeholder(${JSON.stringify(field.name)})}\`,`
        : `  ${field.name}: placeholder(${JSON.stringify(field.name)}),`,
    )
    .join("\n");
  const listFlags = [...(search.length > 0 ? ["q"] : []), ...filters.map((field) => field.name), "cursor"];
  const listConditions = [
    ...(search.length > 0
      ? [`          shape.q ? containsPattern(placeholder("q"), ${search.map((field) => `${t}.${field.name}`).join(", ")}) : undefined,`]
      : []),
    ...filters.map(
      (field) => `          shape.${field.name} ? eq(${t}.${field.name}, placeholder(${JSON.stringify(field.name)})) : undefined,`,
    ),
  ];
  const uniqueMessages = fields
    .filter((field) => field.unique)
    .map((field) => `  ${JSON.stringify(`${prefix}_${field.column}_unique`)}: ${JSON.stringify(field.name)},`)
    .join("\n");
  const refMessages = refs
    .map(
      (field) =>
        `  ${JSON.stringify(`${prefix}_${field.column}_${field.reference?.names.snakePlural ?? ""}_id_fk`)}: ${JSON.stringify(field.name)},`,
    )
    .join("\n");
  return `import { and, eq, sql } from "drizzle-orm";
import type { VerifiedPrincipal } from "../../core/auth/jwt";
import { ApiError, notFound } from "../../core/errors";
import { uuidv7 } from "../../core/uuid";
import type { Database } from "../../db/database";
import { databaseErrorCode } from "../../db/errors";
import { keysetOrder, keysetPage, keysetPosition } from "../../db/keyset";
import { flagBits, rowStatement, rowStatementFamily, type StatementRow } from "../../db/prepared";
import { firstRow } from "../../db/rows";
${search.length > 0 ? 'import { containsPattern, likePattern } from "../../db/search";\n' : ""}import { versionedChange } from "../../db/versions";
import { roleCheck, storedRoleAtLeastPlaceholders } from "../users/stored-role";
import { type Create${P}Input, type List${names.pascalPlural}Query, type ${P}, type ${P}Sort, type Patch${P}Input, ${names.camel}Sorts } from "./${names.kebabPlural}.schemas";
import { type ${P}Row, ${t} } from "./${names.kebabPlural}.table";

const DEFAULT_LIMIT = 20;
const DEFAULT_SORT: ${P}Sort = "-createdAt";

const sortColumns = { createdAt: ${t}.createdAt } as const;

/** The columns a client may write, in a fixed order: an update's shape is the subset it sets. */
const WRITABLE = [${writable}] as const;
${asText.length > 0 ? "/** The values a write binds; nullable instants as ISO text (see `writePlaceholders`). */\n" : ""}type Writable = ${writableType};

/** A row from a prepared statement: its instants are already the API's text. */
type Stored${P} = StatementRow<typeof ${t}>;

function to${P}(row: Stored${P}): ${P} {
  return {
    id: row.id,
${fields.map((field) => `    ${field.name}: row.${field.name},`).join("\n")}
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Row values of a full write: omitted optional fields become null. */
function fullValues(input: Create${P}Input): Writable {
  return {
${fullValues}
  };
}

/** Unique constraints → the field a 409 names. */
const uniqueFields: Record<string, string> = {
${uniqueMessages}
};

/** Foreign keys → the field a 422 names. */
const referenceFields: Record<string, string> = {
${refMessages}
};

/** The violated constraint's name, from the driver error along the cause chain (node-postgres and Neon both set it). */
function constraintOf(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const constraint = (current as Error & { constraint?: unknown }).constraint;
    if (typeof constraint === "string") return constraint;
    current = current.cause;
  }
  return "";
}

/** Unique and foreign-key violations of a write become 409 and 422; anything else goes up unchanged. */
function explainWriteError(error: unknown): never {
  const code = databaseErrorCode(error);
  if (code === "23505") {
    const path = uniqueFields[constraintOf(error)] ?? "(root)";
    throw new ApiError("conflict", \`A ${names.words} with this \${path} already exists.\`, {
      errors: [{ path, code: "taken", message: \`\${path} is already in use.\` }],
    });
  }
  if (code === "23503") {
    const path = referenceFields[constraintOf(error)] ?? "(root)";
    throw new ApiError("validation_failed", \`\${path} names nothing that exists.\`, {
      errors: [{ path, code: "not_found", message: \`\${path} does not exist.\` }],
    });
  }
  throw error;
}

// The statements of the success paths, built once (see db/prepared.ts); failure paths build theirs.
// The service's own placeholders (id, version, q, limit, cursor_key, cursor_id) are names no field can have.
const placeholder = sql.placeholder;
const byId = eq(${t}.id, placeholder("id"));
const pinnedVersion = (pinned: boolean) => (pinned ? eq(${t}.version, placeholder("version")) : undefined);

/** Where each written column's value comes from: Drizzle passes these placeholders' values through the column's encoder. */
const writePlaceholders = {
${placeholders}
};

const selectById = rowStatement("${prefix}_select_by_id", ${t}, (db) => db.select().from(${t}).where(byId));

const insert${P} = rowStatement("${prefix}_insert", ${t}, (db) =>
  db
    .insert(${t})
    .values({ id: placeholder("id"), ...writePlaceholders })
    .returning(),
);

const update${P} = rowStatementFamily(
  "${prefix}_update",
  ${t},
  ({ columns, pinned }: { columns: readonly (typeof WRITABLE)[number][]; pinned: boolean }) =>
    \`\${flagBits(WRITABLE.map((column) => columns.includes(column)))}\${pinned ? "_v" : ""}\`,
  (db, { columns, pinned }) => {
    const values = Object.fromEntries(columns.map((column) => [column, writePlaceholders[column]]));
    return db
      .update(${t})
      .set({ ...values, ...versionedChange(${t}, values) })
      .where(and(byId, pinnedVersion(pinned)))
      .returning();
  },
);

/** Which filters a list has and whether it starts after a cursor: its statement's shape (the values are placeholders). */
interface ListShape {
  sort: ${P}Sort;
${listFlags.map((flag) => `  ${flag}: boolean;`).join("\n")}
}

// Placeholders in a WHERE reach the driver as they are, without the column's encoder: filters are
// references, enums and booleans, whose values need none.
const list${names.pascalPlural} = rowStatementFamily(
  "${prefix}_list",
  ${t},
  (shape: ListShape) => \`\${${names.camel}Sorts.indexOf(shape.sort)}_\${flagBits([${listFlags.map((flag) => `shape.${flag}`).join(", ")}])}\`,
  (db, shape) => {
    const { orderBy, after } = keysetOrder(
      { sort: shape.sort, columns: sortColumns, idColumn: ${t}.id },
      shape.cursor ? { key: placeholder("cursor_key"), id: placeholder("cursor_id") } : undefined,
    );
    return db
      .select()
      .from(${t})
      .where(
        and(
${listConditions.join("\n")}
          after,
        ),
      )
      .orderBy(...orderBy)
      .limit(placeholder("limit"));
  },${search.length > 0 ? "\n  // A substring search is planned for its pattern each time, so it keeps using the trigram indexes (see rowStatement).\n  (shape) => shape.q," : ""}
);

/** Deleting is for admins: \`checked\` adds the caller's stored-role check (external callers have none, see \`roleCheck\`). */
const delete${P} = rowStatementFamily(
  "${prefix}_delete",
  ${t},
  ({ pinned, checked }: { pinned: boolean; checked: boolean }) => \`\${pinned ? "v" : "any"}\${checked ? "_r" : ""}\`,
  (db, { pinned, checked }) =>
    db
      .delete(${t})
      .where(and(byId, pinnedVersion(pinned), checked ? storedRoleAtLeastPlaceholders : undefined))
      .returning(),
);

export interface ${P}Page {
  data: ${P}[];
  nextCursor: string | null;
}

/** Every SQL statement for ${names.wordsPlural}. One statement per call on the success path. */
export class ${P}Repository {
  constructor(private readonly db: Database) {}

  async list(query: List${names.pascalPlural}Query): Promise<${P}Page> {
    const request = {
      sort: query.sort ?? DEFAULT_SORT,
      columns: sortColumns,
      idColumn: ${t}.id,
      limit: query.limit ?? DEFAULT_LIMIT,
      cursor: query.cursor,
      filters: [${filterValues.join(", ")}],
    };
    const position = keysetPosition(request);
    const statement = list${names.pascalPlural}({
      sort: request.sort,
${[...(search.length > 0 ? ["q"] : []), ...filters.map((field) => field.name)].map((name) => `      ${name}: query.${name} !== undefined,`).join("\n")}
      cursor: position !== undefined,
    });
    const rows = await statement(this.db, {
${search.length > 0 ? "      q: query.q === undefined ? undefined : likePattern(query.q),\n" : ""}${filters.map((field) => `      ${field.name}: query.${field.name},`).join("\n")}
      cursor_key: position?.key,
      cursor_id: position?.id,
      // One row more than the page tells whether a next page exists, without a COUNT.
      limit: request.limit + 1,
    });
    const page = keysetPage(request, rows);
    return { data: page.rows.map(to${P}), nextCursor: page.nextCursor };
  }

  async getById(id: string): Promise<${P}> {
    const [row] = await selectById(this.db, { id });
    if (!row) throw notFound("${capitalise(names.words)}");
    return to${P}(row);
  }

  async create(input: Create${P}Input): Promise<${P}> {
    const rows = await insert${P}(this.db, { id: uuidv7(), ...fullValues(input) }).catch(explainWriteError);
    return to${P}(firstRow(rows));
  }

  /** Full replacement: omitted optional fields become null. */
  replace(id: string, input: Create${P}Input, expectedVersion: number | undefined): Promise<${P}> {
    return this.update(id, fullValues(input), expectedVersion);
  }

  /** JSON merge patch: only present fields change; null clears an optional field. */
  patch(id: string, input: Patch${P}Input, expectedVersion: number | undefined): Promise<${P}> {
    const changes: Partial<Writable> = {};
${fields
  .map((field) => {
    const value = `input.${field.name}`;
    return `    if (${value} !== undefined) changes.${field.name} = ${toWrite(field, value)};`;
  })
  .join("\n")}
    return this.update(id, changes, expectedVersion);
  }

  /** Deletes the ${names.words}; with \`expectedVersion\`, only that version (else 412); the caller's stored role must be admin. Still referenced: 409. */
  async remove(id: string, expectedVersion: number | undefined, caller: VerifiedPrincipal): Promise<void> {
    const check = roleCheck(caller, "admin");
    const statement = delete${P}({ pinned: expectedVersion !== undefined, checked: check !== undefined });
    const rows = await statement(this.db, { id, version: expectedVersion, ...check }).catch((error: unknown) => {
      if (databaseErrorCode(error) === "23503")
        throw new ApiError("conflict", "Other resources still refer to this ${names.words}; delete or change them first.");
      throw error;
    });
    if (rows.length === 0) await this.explainMiss(id);
  }

  /**
   * One conditional UPDATE: the version check and the write are the same
   * statement, so of two writers holding one ETag exactly one matches.
   */
  private async update(id: string, changes: Partial<Writable>, expectedVersion: number | undefined): Promise<${P}> {
    const statement = update${P}({
      columns: WRITABLE.filter((column) => Object.hasOwn(changes, column)),
      pinned: expectedVersion !== undefined,
    });
    const rows = await statement(this.db, { ...changes, id, version: expectedVersion }).catch(explainWriteError);
    const [row] = rows;
    if (!row) return this.explainMiss(id);
    return to${P}(row);
  }

  /** Only on the failure path: tell a missing ${names.words} (404) from a stale version (412). */
  private async explainMiss(id: string): Promise<never> {
    const [row] = await this.db.select({ version: ${t}.version }).from(${t}).where(eq(${t}.id, id));
    if (!row) throw notFound("${capitalise(names.words)}");
    throw new ApiError("precondition_failed", \`If-Match does not match the current version (\${row.version}); nothing was changed.\`);
  }
}
`;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
