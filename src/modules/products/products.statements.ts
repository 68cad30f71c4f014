// The products statements, built once per process (see db/prepared.ts), and the mapping of their rows:
// what ProductRepository runs. Failure paths build their own statements in the repository.
import { and, eq, gte, lte, sql } from "drizzle-orm";
import { instantText } from "../../db/instants";
import { keysetOrder } from "../../db/keyset";
import { flagBits, rowStatement, rowStatementFamily, type StatementRow } from "../../db/prepared";
import { containsPattern } from "../../db/search";
import { versionedChange } from "../../db/versions";
import { storedRoleAtLeastPlaceholders } from "../users/stored-role";
import type { Product, ProductSort } from "./products.schemas";
import { type ProductRow, products } from "./products.table";

export const sortColumns = {
  createdAt: products.createdAt,
  name: products.name,
  priceCents: products.priceCents,
} as const;

/** A products row from a prepared statement: its instants are already the API's text. */
type StoredProduct = StatementRow<typeof products>;

export function toProduct(row: StoredProduct): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    priceCents: row.priceCents,
    currency: row.currency,
    sku: row.sku,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

// The stored answer must be byte-for-byte the API's Product, so it is built in SQL from the new row.
export const productJson = sql`json_build_object(
  'id', created.id, 'name', created.name, 'description', created.description, 'priceCents', created.price_cents,
  'currency', created.currency, 'sku', created.sku, 'version', created.version,
  'createdAt', ${instantText(sql.raw("created.created_at"))}, 'updatedAt', ${instantText(sql.raw("created.updated_at"))})`;
export const productHeaders = sql`json_build_object('Location', '/api/v1/products/' || created.id, 'ETag', '"' || created.id || '.' || created.version || '"')`;

// The statements of the success paths, built once (see db/prepared.ts); failure paths build theirs.
const placeholder = sql.placeholder;
const byId = eq(products.id, placeholder("id"));
const pinnedVersion = (pinned: boolean) => (pinned ? eq(products.version, placeholder("expectedVersion")) : undefined);

export const selectById = rowStatement("products_select_by_id", products, (db) => db.select().from(products).where(byId));

export const insertProduct = rowStatement("products_insert", products, (db) =>
  db
    .insert(products)
    .values({
      id: placeholder("id"),
      name: placeholder("name"),
      description: placeholder("description"),
      priceCents: placeholder("priceCents"),
      currency: placeholder("currency"),
      sku: placeholder("sku"),
    })
    .returning(),
);

/** The columns a client may change, in a fixed order: a statement's shape is the subset it sets. */
export const CHANGEABLE = ["name", "description", "priceCents", "currency", "sku"] as const;
export type ProductChanges = Partial<Pick<ProductRow, (typeof CHANGEABLE)[number]>>;

export const updateProduct = rowStatementFamily(
  "products_update",
  products,
  ({ columns, pinned }: { columns: readonly (typeof CHANGEABLE)[number][]; pinned: boolean }) =>
    `${flagBits(CHANGEABLE.map((column) => columns.includes(column)))}${pinned ? "_v" : ""}`,
  (db, { columns, pinned }) => {
    const values = Object.fromEntries(columns.map((column) => [column, placeholder(column)]));
    return db
      .update(products)
      .set({ ...values, ...versionedChange(products, values) })
      .where(and(byId, pinnedVersion(pinned)))
      .returning();
  },
);

/** Which filters a list has and where it starts: its statement's shape (the values are placeholders). */
interface ListShape {
  sort: ProductSort;
  q: boolean;
  minPrice: boolean;
  maxPrice: boolean;
  currency: boolean;
  after: boolean;
}

export const listProducts = rowStatementFamily(
  "products_list",
  products,
  (shape: ListShape) =>
    `${shape.sort.replace("-", "d_")}_${flagBits([shape.q, shape.minPrice, shape.maxPrice, shape.currency, shape.after])}`,
  (db, shape) => {
    const { orderBy, after } = keysetOrder(
      { sort: shape.sort, columns: sortColumns, idColumn: products.id },
      shape.after ? { key: placeholder("afterKey"), id: placeholder("afterId") } : undefined,
    );
    return db
      .select()
      .from(products)
      .where(
        and(
          shape.q ? containsPattern(placeholder("pattern"), products.name, products.sku) : undefined,
          shape.minPrice ? gte(products.priceCents, placeholder("minPrice")) : undefined,
          shape.maxPrice ? lte(products.priceCents, placeholder("maxPrice")) : undefined,
          shape.currency ? eq(products.currency, placeholder("currency")) : undefined,
          after,
        ),
      )
      .orderBy(...orderBy)
      .limit(placeholder("limit"));
  },
  // A substring search is planned for its pattern each time, so it keeps using the trigram indexes (see rowStatement).
  (shape) => shape.q,
);

/** Deleting is for admins: `checked` adds the caller's stored-role check (external callers have none, see `roleCheck`). */
export const deleteProduct = rowStatementFamily(
  "products_delete",
  products,
  ({ pinned, checked }: { pinned: boolean; checked: boolean }) => `${pinned ? "v" : "any"}${checked ? "_r" : ""}`,
  (db, { pinned, checked }) =>
    db
      .delete(products)
      .where(and(byId, pinnedVersion(pinned), checked ? storedRoleAtLeastPlaceholders : undefined))
      .returning(),
);
