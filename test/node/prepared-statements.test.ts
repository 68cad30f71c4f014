import { afterAll, describe, expect, it } from "vitest";
import { rowStatement } from "../../src/db/prepared";
import { products } from "../../src/modules/products/products.table";
import { json, productInput, uniqueTag } from "../contract/target";
import { createNodeTarget } from "./app-target";

// One pooled connection, so the session whose prepared statements we read is the one every request used.
const target = createNodeTarget({ DB_POOL_MAX: "1" });
afterAll(() => target.database.close());

interface PreparedRow {
  name: string;
  executions: number;
}

const preparedOnTheConnection = async () =>
  (
    await target.database.pool.query<PreparedRow>(
      "select name, (generic_plans + custom_plans)::int as executions from pg_prepared_statements where name like 'products%'",
    )
  ).rows;

describe("prepared product statements (Node)", () => {
  it("are named, parsed once per connection and reused by every request of the same shape", async () => {
    const before = new Map((await preparedOnTheConnection()).map((row) => [row.name, row.executions]));
    const ran = (after: PreparedRow[], name: string) => (after.find((row) => row.name === name)?.executions ?? 0) - (before.get(name) ?? 0);

    const tag = uniqueTag();
    const created = (await (await target.fetch("/api/v1/products", json(productInput(tag)))).json()) as { id: string };
    const path = `/api/v1/products/${created.id}`;
    for (let i = 0; i < 3; i++) expect((await target.fetch(path)).status).toBe(200);
    for (const priceCents of [11, 12]) expect((await target.fetch(path, json({ priceCents }, "PATCH"))).status).toBe(200);
    const renamed = await target.fetch(path, json({ name: "Renamed", description: null }, "PATCH", { "if-match": `"${created.id}.3"` }));
    expect(await renamed.json()).toMatchObject({ name: "Renamed", description: null, priceCents: 12, version: 4 });
    expect((await target.fetch(path, { method: "DELETE" })).status).toBe(204);
    // Lists: one statement per sort and set of filters, whatever their values, page size and cursor position.
    for (const n of [1, 2, 3]) await target.fetch("/api/v1/products", json(productInput(`${tag}n${n}`)));
    const first = (await (await target.fetch(`/api/v1/products?sort=name&q=${tag}&limit=1`)).json()) as { nextCursor: string };
    for (const limit of [1, 2]) {
      const page = await target.fetch(`/api/v1/products?sort=name&q=${tag}&limit=${limit}&cursor=${encodeURIComponent(first.nextCursor)}`);
      expect(((await page.json()) as { data: unknown[] }).data).toHaveLength(limit);
    }
    expect((await target.fetch(`/api/v1/products?sort=-priceCents&minPrice=5&currency=EUR`)).status).toBe(200);
    const after = await preparedOnTheConnection();
    expect(ran(after, "products_insert")).toBe(4);
    expect(ran(after, "products_select_by_id")).toBe(3);
    // PATCH {priceCents} twice: one statement; PATCH {name, description} with If-Match: another.
    // Names carry the shape as flag bits in base 36 (db/prepared.ts flagBits): priceCents is bit 2 → 4.
    expect(ran(after, "products_update_4")).toBe(2);
    expect(ran(after, "products_update_3_v")).toBe(1);
    // A local admin deletes: the statement with its stored-role check (`_r`).
    expect(ran(after, "products_delete_any_r")).toBe(1);
    expect(ran(after, "products_list_d_priceCents_a")).toBe(1);
    // Lists with `q` are built once but sent unnamed: planned for their pattern each time, never generically.
    expect(
      after.filter(
        (row) => /^products_list_name_[0-9a-z]*$/.test(row.name) && Number.parseInt(row.name.split("_").at(-1) ?? "0", 36) % 2 === 1,
      ),
    ).toEqual([]);
  });

  it("refuses a name Postgres would cut short (63 bytes), which could alias another statement", () => {
    expect(() => rowStatement("x".repeat(64), products, (db) => db.select().from(products))).toThrow(/63 bytes/);
    expect(() => rowStatement("x".repeat(63), products, (db) => db.select().from(products))).not.toThrow();
  });
});
