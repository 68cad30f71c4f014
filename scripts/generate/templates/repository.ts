import type { Resource } from "../model";
import { toApi, toRow } from "./field-code";
import { filterFields, searchFields } from "./schemas";

export function repositoryTemplate(resource: Resource): string {
  const { names, fields } = resource;
  const P = names.pascal;
  const t = names.camelPlural;
  const search = searchFields(resource);
  const filters = filterFields(resource);
  const unique = fields.filter((field) => field.unique);
  const refs = fields.filter((field) => field.type === "ref");
  const conditions = [
    ...(search.length > 0
      ? [
          `    if (query.q !== undefined) conditions.push(containsText(query.q, ${search.map((field) => `${t}.${field.name}`).join(", ")}));`,
        ]
      : []),
    ...filters.map((field) => `    if (query.${field.name} !== undefined) conditions.push(eq(${t}.${field.name}, query.${field.name}));`),
  ];
  const filterValues = [...(search.length > 0 ? ["query.q ?? null"] : []), ...filters.map((field) => `query.${field.name} ?? null`)];
  const writable = fields.map((field) => field.name);
  const fullValues = fields
    .map((field) => {
      const value = `input.${field.name}`;
      if (field.optional && field.type === "timestamp")
        return `    ${field.name}: ${value} === undefined || ${value} === null ? null : new Date(${value}),`;
      if (field.optional) return `    ${field.name}: ${value} ?? null,`;
      return `    ${field.name}: ${toRow(field, value)},`;
    })
    .join("\n");
  const uniqueMessages = unique
    .map((field) => `  ${JSON.stringify(`${names.snakePlural}_${field.column}_unique`)}: ${JSON.stringify(field.name)},`)
    .join("\n");
  const refMessages = refs
    .map(
      (field) =>
        `  ${JSON.stringify(`${names.snakePlural}_${field.column}_${field.reference?.names.snakePlural ?? ""}_id_fk`)}: ${JSON.stringify(field.name)},`,
    )
    .join("\n");
  return `import { and, eq, type SQL, sql } from "drizzle-orm";
import { ApiError, notFound } from "../../core/errors";
import { uuidv7 } from "../../core/uuid";
import type { Database } from "../../db/database";
import { databaseErrorCode } from "../../db/errors";
import { keysetPage, keysetQuery } from "../../db/keyset";
${search.length > 0 ? 'import { containsText } from "../../db/search";\n' : ""}import type { Create${P}Input, List${names.pascalPlural}Query, ${P}, ${P}Sort, Patch${P}Input } from "./${names.kebabPlural}.schemas";
import { type ${P}Row, ${t} } from "./${names.kebabPlural}.table";

const DEFAULT_LIMIT = 20;
const DEFAULT_SORT: ${P}Sort = "-createdAt";

const sortColumns = { createdAt: ${t}.createdAt } as const;

type Writable = Pick<${P}Row, ${writable.map((name) => JSON.stringify(name)).join(" | ")}>;

function to${P}(row: ${P}Row): ${P} {
  return {
    id: row.id,
${fields.map((field) => `    ${field.name}: ${toApi(field)},`).join("\n")}
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
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

export interface ${P}Page {
  data: ${P}[];
  nextCursor: string | null;
}

/** Every SQL statement for ${names.wordsPlural}. One statement per call on the success path. */
export class ${P}Repository {
  constructor(private readonly db: Database) {}

  async list(query: List${names.pascalPlural}Query): Promise<${P}Page> {
    const conditions: (SQL | undefined)[] = [];
${conditions.join("\n")}
    const request = {
      sort: query.sort ?? DEFAULT_SORT,
      columns: sortColumns,
      idColumn: ${t}.id,
      limit: query.limit ?? DEFAULT_LIMIT,
      cursor: query.cursor,
      filters: [${filterValues.join(", ")}],
    };
    const { after, orderBy, limit } = keysetQuery(request);
    const rows = await this.db
      .select()
      .from(${t})
      .where(and(...conditions, after))
      .orderBy(...orderBy)
      .limit(limit);
    const page = keysetPage(request, rows);
    return { data: page.rows.map(to${P}), nextCursor: page.nextCursor };
  }

  async getById(id: string): Promise<${P}> {
    const [row] = await this.db.select().from(${t}).where(eq(${t}.id, id));
    if (!row) throw notFound("${capitalise(names.words)}");
    return to${P}(row);
  }

  async create(input: Create${P}Input): Promise<${P}> {
    const rows = await this.db
      .insert(${t})
      .values({ id: uuidv7(), ...fullValues(input) })
      .returning()
      .catch(explainWriteError);
    const [row] = rows;
    if (!row) throw new Error("INSERT … RETURNING returned no row");
    return to${P}(row);
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
    return `    if (${value} !== undefined) changes.${field.name} = ${toRow(field, value)};`;
  })
  .join("\n")}
    return this.update(id, changes, expectedVersion);
  }

  /** Deletes the ${names.words}; with \`expectedVersion\`, only that version (else 412). Still referenced: 409. */
  async remove(id: string, expectedVersion: number | undefined): Promise<void> {
    const rows = await this.db
      .delete(${t})
      .where(and(eq(${t}.id, id), expectedVersion === undefined ? undefined : eq(${t}.version, expectedVersion)))
      .returning({ id: ${t}.id })
      .catch((error: unknown) => {
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
    const rows = await this.db
      .update(${t})
      .set({ ...changes, version: sql\`\${${t}.version} + 1\`, updatedAt: sql\`now()\` })
      .where(and(eq(${t}.id, id), expectedVersion === undefined ? undefined : eq(${t}.version, expectedVersion)))
      .returning()
      .catch(explainWriteError);
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
