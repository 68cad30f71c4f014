import { eq } from "drizzle-orm";
import type { VerifiedPrincipal } from "../../core/auth/jwt";
import { ApiError, notFound } from "../../core/errors";
import { uuidv7 } from "../../core/uuid";
import type { Database } from "../../db/database";
import { isUniqueViolation } from "../../db/errors";
import { keysetPage, keysetPosition } from "../../db/keyset";
import { firstRow } from "../../db/rows";
import { likePattern } from "../../db/search";
import { IdempotencyRepository, type IdempotencyScope } from "../idempotency/idempotency.repository";
import { roleCheck } from "../users/stored-role";
import type { CreateProductInput, ListProductsQuery, PatchProductInput, Product, ProductSort } from "./products.schemas";
import {
  CHANGEABLE,
  deleteProduct,
  insertProduct,
  listProducts,
  type ProductChanges,
  productHeaders,
  productJson,
  selectById,
  sortColumns,
  toProduct,
  updateProduct,
} from "./products.statements";
import { products } from "./products.table";

const DEFAULT_LIMIT = 20;
const DEFAULT_SORT: ProductSort = "-createdAt";

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
    const request = {
      sort: query.sort ?? DEFAULT_SORT,
      columns: sortColumns,
      idColumn: products.id,
      limit: query.limit ?? DEFAULT_LIMIT,
      cursor: query.cursor,
      filters: [query.q ?? null, query.minPrice ?? null, query.maxPrice ?? null, query.currency ?? null],
    };
    const position = keysetPosition(request);
    const statement = listProducts({
      sort: request.sort,
      q: query.q !== undefined,
      minPrice: query.minPrice !== undefined,
      maxPrice: query.maxPrice !== undefined,
      currency: query.currency !== undefined,
      after: position !== undefined,
    });
    const rows = await statement(this.db, {
      pattern: query.q === undefined ? undefined : likePattern(query.q),
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      currency: query.currency,
      afterKey: position?.key,
      afterId: position?.id,
      // One row more than the page tells whether a next page exists, without a COUNT.
      limit: request.limit + 1,
    });
    const page = keysetPage(request, rows);
    return { data: page.rows.map(toProduct), nextCursor: page.nextCursor };
  }

  async getById(id: string): Promise<Product> {
    const [row] = await selectById(this.db, { id });
    if (!row) throw notFound("Product");
    return toProduct(row);
  }

  /**
   * Inserts the product. With an idempotency scope, the same statement also
   * stores the answer under the key (a data-modifying CTE): both or neither.
   */
  async create(input: CreateProductInput, idempotency?: IdempotencyScope): Promise<Product> {
    const values = {
      id: uuidv7(),
      name: input.name,
      description: input.description ?? null,
      priceCents: input.priceCents,
      currency: input.currency ?? "USD",
      sku: input.sku,
    };
    if (!idempotency) {
      const rows = await insertProduct(this.db, values).catch(conflictOnSku);
      return toProduct(firstRow(rows));
    }
    const rows = await new IdempotencyRepository(this.db)
      .createWithAnswer(
        idempotency,
        (fencedId) =>
          this.db
            .insert(products)
            .values({ ...values, id: fencedId(values.id) })
            .returning(),
        { body: productJson, headers: productHeaders },
        (statement, created) => statement.select().from(created),
      )
      .catch(conflictOnSku);
    // Drizzle mapped this statement's row itself, instants as `Date`s.
    const row = firstRow(rows);
    return toProduct({ ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() });
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
    const changes: ProductChanges = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.description !== undefined) changes.description = input.description;
    if (input.priceCents !== undefined) changes.priceCents = input.priceCents;
    if (input.currency !== undefined) changes.currency = input.currency;
    if (input.sku !== undefined) changes.sku = input.sku;
    return this.update(id, changes, expectedVersion);
  }

  /** Deletes the product; with `expectedVersion`, only that version (else 412); the caller's stored role must be admin. */
  async remove(id: string, expectedVersion: number | undefined, caller: VerifiedPrincipal): Promise<void> {
    const check = roleCheck(caller, "admin");
    const statement = deleteProduct({ pinned: expectedVersion !== undefined, checked: check !== undefined });
    const rows = await statement(this.db, { id, expectedVersion, ...check });
    if (rows.length === 0) await this.explainMiss(id);
  }

  /**
   * One conditional UPDATE: the version check and the write are the same
   * statement, so of two writers holding one ETag exactly one matches.
   */
  private async update(id: string, changes: ProductChanges, expectedVersion: number | undefined): Promise<Product> {
    const statement = updateProduct({
      columns: CHANGEABLE.filter((column) => Object.hasOwn(changes, column)),
      pinned: expectedVersion !== undefined,
    });
    const rows = await statement(this.db, { ...changes, id, expectedVersion }).catch(conflictOnSku);
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
