import { and, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import { ApiError, notFound } from "../../core/errors";
import { uuidv7 } from "../../core/uuid";
import type { Database } from "../../db/database";
import { isUniqueViolation } from "../../db/errors";
import { keysetPage, keysetQuery } from "../../db/keyset";
import { containsText } from "../../db/search";
import type { CreateProductInput, ListProductsQuery, PatchProductInput, Product, ProductSort } from "./products.schemas";
import { type ProductRow, products } from "./products.table";

const DEFAULT_LIMIT = 20;
const DEFAULT_SORT: ProductSort = "-createdAt";

const sortColumns = {
  createdAt: products.createdAt,
  name: products.name,
  priceCents: products.priceCents,
} as const;

function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    priceCents: row.priceCents,
    currency: row.currency,
    sku: row.sku,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function conflictOnSku(error: unknown): never {
  if (isUniqueViolation(error))
    throw new ApiError("conflict", "A product with this sku already exists.", {
      errors: [{ path: "sku", code: "taken", message: "sku is already in use." }],
    });
  throw error;
}

export interface ProductPage {
  data: Product[];
  nextCursor: string | null;
}

/** Every SQL statement for products. One statement per call on the success path. */
export class ProductRepository {
  constructor(private readonly db: Database) {}

  async list(query: ListProductsQuery): Promise<ProductPage> {
    const conditions: (SQL | undefined)[] = [];
    if (query.q !== undefined) conditions.push(containsText(query.q, products.name, products.sku));
    if (query.minPrice !== undefined) conditions.push(gte(products.priceCents, query.minPrice));
    if (query.maxPrice !== undefined) conditions.push(lte(products.priceCents, query.maxPrice));
    if (query.currency !== undefined) conditions.push(eq(products.currency, query.currency));

    const request = {
      sort: query.sort ?? DEFAULT_SORT,
      columns: sortColumns,
      idColumn: products.id,
      limit: query.limit ?? DEFAULT_LIMIT,
      cursor: query.cursor,
      filters: [query.q ?? null, query.minPrice ?? null, query.maxPrice ?? null, query.currency ?? null],
    };
    const { after, orderBy, limit } = keysetQuery(request);
    const rows = await this.db
      .select()
      .from(products)
      .where(and(...conditions, after))
      .orderBy(...orderBy)
      .limit(limit);
    const page = keysetPage(request, rows);
    return { data: page.rows.map(toProduct), nextCursor: page.nextCursor };
  }

  async getById(id: string): Promise<Product> {
    const [row] = await this.db.select().from(products).where(eq(products.id, id));
    if (!row) throw notFound("Product");
    return toProduct(row);
  }

  async create(input: CreateProductInput): Promise<Product> {
    const rows = await this.db
      .insert(products)
      .values({
        id: uuidv7(),
        name: input.name,
        description: input.description ?? null,
        priceCents: input.priceCents,
        currency: input.currency ?? "USD",
        sku: input.sku,
      })
      .returning()
      .catch(conflictOnSku);
    return toProduct(firstRow(rows));
  }

  /** Full replacement: omitted optional fields go back to their defaults. */
  replace(id: string, input: CreateProductInput, expectedVersion: number | undefined): Promise<Product> {
    return this.update(
      id,
      {
        name: input.name,
        description: input.description ?? null,
        priceCents: input.priceCents,
        currency: input.currency ?? "USD",
        sku: input.sku,
      },
      expectedVersion,
    );
  }

  /** JSON merge patch: only present fields change; `description: null` clears it. */
  patch(id: string, input: PatchProductInput, expectedVersion: number | undefined): Promise<Product> {
    const changes: Partial<Pick<ProductRow, "name" | "description" | "priceCents" | "currency" | "sku">> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.description !== undefined) changes.description = input.description;
    if (input.priceCents !== undefined) changes.priceCents = input.priceCents;
    if (input.currency !== undefined) changes.currency = input.currency;
    if (input.sku !== undefined) changes.sku = input.sku;
    return this.update(id, changes, expectedVersion);
  }

  /** Deletes the product; with `expectedVersion`, only that version (else 412). */
  async remove(id: string, expectedVersion: number | undefined): Promise<void> {
    const rows = await this.db
      .delete(products)
      .where(and(eq(products.id, id), expectedVersion === undefined ? undefined : eq(products.version, expectedVersion)))
      .returning({ id: products.id });
    if (rows.length === 0) await this.explainMiss(id);
  }

  /**
   * One conditional UPDATE: the version check and the write are the same
   * statement, so of two writers holding one ETag exactly one matches.
   */
  private async update(id: string, changes: Partial<ProductRow>, expectedVersion: number | undefined): Promise<Product> {
    const rows = await this.db
      .update(products)
      .set({ ...changes, version: sql`${products.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(products.id, id), expectedVersion === undefined ? undefined : eq(products.version, expectedVersion)))
      .returning()
      .catch(conflictOnSku);
    const [row] = rows;
    if (!row) return this.explainMiss(id);
    return toProduct(row);
  }

  /** Only on the failure path: tell a missing product (404) from a stale version (412). */
  private async explainMiss(id: string): Promise<never> {
    const [row] = await this.db.select({ version: products.version }).from(products).where(eq(products.id, id));
    if (!row) throw notFound("Product");
    throw new ApiError("precondition_failed", `If-Match does not match the current version (${row.version}); nothing was changed.`);
  }
}

function firstRow<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error("INSERT … RETURNING returned no row");
  return row;
}
