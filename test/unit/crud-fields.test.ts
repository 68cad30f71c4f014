// The CRUD kit's derivations, without a database: the zod schemas a column gives (src/modules/crud/fields.ts,
// schemas.ts), the names a resource's declared name gives (names.ts), and the fields a constraint name
// gives (src/db/write-errors.ts). The tables here are never created: the kit only reads their definitions.
// Independent of any real resource, so a service generated without the example resource keeps it.
import { OpenAPIHono, type z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { bigint, boolean, char, date, integer, jsonb, numeric, pgTable, text, timestamp, unique, uuid, varchar } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { StillReferenced, Taken, UnknownReference } from "../../src/core/domain-errors";
import { NO_NUL_PATTERN, NOT_BLANK_NO_NUL_PATTERN } from "../../src/core/openapi";
import { resourceId, resourceStamps } from "../../src/db/resource-table";
import { writeErrors } from "../../src/db/write-errors";
import { defaultValue, filterSchema, INT4_MAX, INT4_MIN, readSchema, writeSchema } from "../../src/modules/crud/fields";
import { namesOf, pluralise } from "../../src/modules/crud/names";
import { defineResource } from "../../src/modules/crud/resource";
import { resourceSchemas } from "../../src/modules/crud/schemas";

const owners = pgTable("unit_owners", { ...resourceId(), label: varchar("label", { length: 40 }).notNull(), ...resourceStamps() });

const widgets = pgTable(
  "unit_widgets",
  {
    ...resourceId(),
    title: varchar("title", { length: 20 }).notNull(),
    code: varchar("code", { length: 16 }).notNull().unique(),
    grade: char("grade", { length: 2 }).notNull().default("B1"),
    notes: text("notes"),
    quantity: integer("quantity").notNull(),
    serial: bigint("serial", { mode: "number" }).notNull(),
    active: boolean("active").notNull().default(true),
    price: numeric("price", { precision: 8, scale: 3 }).notNull(),
    seenAt: timestamp("seen_at", { withTimezone: true, precision: 3 }),
    batch: uuid("batch"),
    status: text("status", { enum: ["draft", "live"] })
      .notNull()
      .default("draft"),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => owners.id),
    ...resourceStamps(),
  },
  (table) => [unique("unit_widgets_serial_key").on(table.serial), unique("unit_widgets_title_batch_unique").on(table.title, table.batch)],
);

/** Columns only the refusals and the odd defaults need; a builder becomes a column inside a table. */
const odd = pgTable("unit_odd", {
  free: varchar("free").notNull(),
  amount: numeric("amount").notNull(),
  payload: jsonb("payload"),
  born: date("born"),
  since: timestamp("since", { withTimezone: true }).default(new Date("2026-01-02T03:04:05.678Z")),
  seen: timestamp("seen", { withTimezone: true }).defaultNow(),
  label: text("label").default(sql`'x'`),
  token: uuid("token").defaultRandom(),
});

const accepts = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success;
const parsed = (schema: z.ZodType, value: unknown) => schema.parse(value);
const messages = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

/** What the OpenAPI document says of each schema: the kit's `.openapi()` metadata only shows there. */
function documented(schemas: Record<string, z.ZodType>): Record<string, Record<string, unknown>> {
  const app = new OpenAPIHono();
  for (const [name, schema] of Object.entries(schemas)) app.openAPIRegistry.register(name, schema);
  const document = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "fields", version: "1" } });
  return (document.components?.schemas ?? {}) as Record<string, Record<string, unknown>>;
}
const documentedOne = (schema: z.ZodType) => documented({ Field: schema }).Field ?? {};

describe("field schemas derived from columns (crud/fields.ts)", () => {
  it("varchar: trimmed, not blank, no NUL, at most the column's length; the document says so in a pattern", () => {
    const schema = writeSchema(widgets.title, {});
    expect(parsed(schema, "  Lamp  ")).toBe("Lamp");
    expect(accepts(schema, "x".repeat(20))).toBe(true);
    expect(accepts(schema, "x".repeat(21))).toBe(false);
    expect(accepts(schema, "   ")).toBe(false);
    expect(accepts(schema, "a\u0000b")).toBe(false);
    expect(accepts(schema, null)).toBe(false);
    expect(accepts(schema, 5)).toBe(false);
    expect(documentedOne(schema)).toMatchObject({ type: "string", maxLength: 20, pattern: NOT_BLANK_NO_NUL_PATTERN });
  });

  it("varchar without a length: at most 255 characters", () => {
    const schema = writeSchema(odd.free, {});
    expect(accepts(schema, "x".repeat(255))).toBe(true);
    expect(accepts(schema, "x".repeat(256))).toBe(false);
  });

  it("varchar with a pattern: the whole value must match, untrimmed, and the refusal gives the pattern's message", () => {
    const pattern = { regex: /^[A-Z]{2}-\d{3}$/, message: "must look like AB-123" };
    const schema = writeSchema(widgets.code, { pattern });
    expect(parsed(schema, "AB-123")).toBe("AB-123");
    expect(accepts(schema, " AB-123")).toBe(false);
    expect(messages(schema, "ab-123")).toEqual(["must look like AB-123"]);
    expect(documentedOne(schema)).toMatchObject({ pattern: "^[A-Z]{2}-\\d{3}$", description: "Must look like AB-123, unique." });
  });

  it("char: exactly its length, since Postgres would pad a shorter value with spaces", () => {
    const schema = writeSchema(widgets.grade, {});
    expect(accepts(schema, "A1")).toBe(true);
    expect(accepts(schema, "A12")).toBe(false);
    expect(accepts(schema, "A")).toBe(false);
    expect(accepts(schema, "A\u0000")).toBe(false);
  });

  it("text: nullable where the column is, up to 10,000 characters unless max says otherwise, no NUL", () => {
    const bare = writeSchema(widgets.notes, {});
    expect(accepts(bare, null)).toBe(true);
    expect(accepts(bare, "")).toBe(true);
    expect(accepts(bare, "x".repeat(10_000))).toBe(true);
    expect(accepts(bare, "x".repeat(10_001))).toBe(false);
    expect(accepts(bare, "a\u0000")).toBe(false);
    const short = writeSchema(widgets.notes, { max: 5 });
    expect(accepts(short, "12345")).toBe(true);
    expect(accepts(short, "123456")).toBe(false);
    expect(documentedOne(short)).toMatchObject({ type: ["string", "null"], maxLength: 5, pattern: NO_NUL_PATTERN });
  });

  it("text with a pattern: the pattern replaces the length and NUL rules", () => {
    const schema = writeSchema(widgets.notes, { pattern: { regex: /^[a-z]+$/, message: "lower-case letters only" } });
    expect(accepts(schema, "abc")).toBe(true);
    expect(messages(schema, "ABC")).toEqual(["lower-case letters only"]);
  });

  it("text enum: only its values", () => {
    const schema = writeSchema(widgets.status, {});
    expect(accepts(schema, "live")).toBe(true);
    expect(accepts(schema, "LIVE")).toBe(false);
    expect(accepts(schema, null)).toBe(false);
    expect(documentedOne(schema)).toMatchObject({ type: "string", enum: ["draft", "live"] });
  });

  it("integer: whole numbers within int4, or within the declared bounds", () => {
    const bare = writeSchema(widgets.quantity, {});
    expect(accepts(bare, INT4_MIN)).toBe(true);
    expect(accepts(bare, INT4_MAX)).toBe(true);
    expect(accepts(bare, INT4_MAX + 1)).toBe(false);
    expect(accepts(bare, 1.5)).toBe(false);
    expect(accepts(bare, "1")).toBe(false);
    const bounded = writeSchema(widgets.quantity, { min: 1, max: 9 });
    expect([0, 1, 9, 10].map((value) => accepts(bounded, value))).toEqual([false, true, true, false]);
    expect(documentedOne(bounded)).toMatchObject({ type: "integer", minimum: 1, maximum: 9 });
  });

  it("bigint (number mode): safe integers only, since JSON numbers beyond 2^53 lose digits", () => {
    const schema = writeSchema(widgets.serial, {});
    expect(accepts(schema, Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(accepts(schema, Number.MIN_SAFE_INTEGER)).toBe(true);
    expect(accepts(schema, 2 ** 53)).toBe(false);
    expect(accepts(writeSchema(widgets.serial, { min: 0 }), -1)).toBe(false);
  });

  it("boolean: true or false, not their text", () => {
    const schema = writeSchema(widgets.active, {});
    expect(accepts(schema, false)).toBe(true);
    expect(accepts(schema, "true")).toBe(false);
  });

  it("numeric: a decimal string with the column's digits before and after the point", () => {
    // numeric(8, 3): five digits before the point, three after.
    const schema = writeSchema(widgets.price, {});
    for (const value of ["12345.678", "-1.5", "0", "7.1"]) expect(accepts(schema, value)).toBe(true);
    for (const value of ["123456", "1.2345", "1.", ".5", "1e3", "", 12]) expect(accepts(schema, value)).toBe(false);
    expect(messages(schema, "1.2345")).toEqual(["must be a decimal string with at most 5 digits before and 3 after the point"]);
  });

  it("numeric without precision: 12 digits before the point and 2 after, the kit's money default", () => {
    const schema = writeSchema(odd.amount, {});
    expect(accepts(schema, "123456789012.34")).toBe(true);
    expect(accepts(schema, "1234567890123")).toBe(false);
  });

  it("timestamptz: RFC 3339 in UTC (Z), nullable where the column is", () => {
    const schema = writeSchema(widgets.seenAt, {});
    expect(accepts(schema, "2026-01-02T03:04:05.678Z")).toBe(true);
    expect(accepts(schema, "2026-01-02T03:04:05Z")).toBe(true);
    expect(accepts(schema, null)).toBe(true);
    expect(accepts(schema, "2026-01-02T03:04:05+01:00")).toBe(false);
    expect(accepts(schema, "2026-01-02")).toBe(false);
    expect(documentedOne(schema)).toMatchObject({ type: ["string", "null"], format: "date-time" });
  });

  it("uuid: any UUID, nullable where the column is", () => {
    const schema = writeSchema(widgets.batch, {});
    expect(accepts(schema, "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f")).toBe(true);
    expect(accepts(schema, null)).toBe(true);
    expect(accepts(schema, "not-a-uuid")).toBe(false);
  });

  it("refuses a column type the kit has no API type for, naming the column", () => {
    expect(() => writeSchema(odd.payload, {})).toThrow("column payload: the CRUD kit has no API type for PgJsonb");
    expect(() => readSchema(odd.born)).toThrow("column born");
  });

  it("describes an undescribed field from its rules, marking unique and nullable ones", () => {
    const described = documented({
      title: writeSchema(widgets.title, {}),
      code: writeSchema(widgets.code, {}),
      notes: writeSchema(widgets.notes, {}),
      status: writeSchema(widgets.status, {}),
      quantity: writeSchema(widgets.quantity, {}),
      bounded: writeSchema(widgets.quantity, { min: 0 }),
      serial: writeSchema(widgets.serial, {}),
      active: writeSchema(widgets.active, {}),
      price: writeSchema(widgets.price, {}),
      seenAt: writeSchema(widgets.seenAt, {}),
      batch: writeSchema(widgets.batch, {}),
    });
    const descriptions = Object.fromEntries(Object.entries(described).map(([name, schema]) => [name, schema.description]));
    expect(descriptions).toEqual({
      title: "1..20 characters after trimming.",
      code: "1..16 characters after trimming, unique.",
      notes: "Up to 10000 characters, or null.",
      status: "One of `draft`, `live`.",
      quantity: "A 32-bit integer.",
      bounded: `An integer, 0..${INT4_MAX}.`,
      serial: "An integer within ±2^53.",
      active: "True or false.",
      price: "A decimal string, 3 places (e.g. `12.50`).",
      seenAt: "An RFC 3339 UTC timestamp, or null.",
      batch: "A UUID, or null.",
    });
  });

  it("uses the declared description and example instead", () => {
    const schema = writeSchema(widgets.title, { description: "What people call it.", example: "Desk lamp" });
    expect(documentedOne(schema)).toMatchObject({ description: "What people call it.", example: "Desk lamp" });
  });

  it("read schemas: the column's type and nullability, without the writing rules", () => {
    expect(accepts(readSchema(widgets.title), "x".repeat(300))).toBe(true);
    expect(accepts(readSchema(widgets.title), null)).toBe(false);
    expect(accepts(readSchema(widgets.notes), null)).toBe(true);
    expect(accepts(readSchema(widgets.price), "12.500")).toBe(true);
    expect(accepts(readSchema(widgets.seenAt), "2026-01-02T03:04:05.678Z")).toBe(true);
    expect(accepts(readSchema(widgets.status), "gone")).toBe(false);
    expect(accepts(readSchema(widgets.serial), 2 ** 40)).toBe(true);
    expect(accepts(readSchema(widgets.active), true)).toBe(true);
    expect(accepts(readSchema(widgets.batch), "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f")).toBe(true);
  });
});

describe("filter parameters (crud/fields.ts filterSchema)", () => {
  it("booleans: the text true or false, parsed; absent is no filter", () => {
    const schema = filterSchema(widgets.active, {}, "Only active ones.");
    expect(parsed(schema, "true")).toBe(true);
    expect(parsed(schema, "false")).toBe(false);
    expect(parsed(schema, undefined)).toBeUndefined();
    expect(accepts(schema, "yes")).toBe(false);
  });

  it("integers: whole numbers parsed within the bounds, signed where the bounds allow negatives", () => {
    const schema = filterSchema(widgets.quantity, { max: 100 }, "At least this many.");
    expect(parsed(schema, "42")).toBe(42);
    expect(accepts(schema, "101")).toBe(false);
    expect(parsed(schema, "-1")).toBe(-1);
    expect(accepts(filterSchema(widgets.quantity, { min: 0 }, "Not negative."), "-1")).toBe(false);
    expect(accepts(schema, "4.5")).toBe(false);
    expect(accepts(filterSchema(widgets.quantity, { min: 10 }, "From ten."), "9")).toBe(false);
  });

  it("other kinds: the value as the field takes it", () => {
    const byStatus = filterSchema(widgets.status, {}, "Only this status.");
    expect(parsed(byStatus, "live")).toBe("live");
    expect(accepts(byStatus, "gone")).toBe(false);
    const byOwner = filterSchema(widgets.ownerId, {}, "Only this owner's.");
    expect(accepts(byOwner, "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f")).toBe(true);
    expect(accepts(byOwner, "nope")).toBe(false);
  });

  it("bigint: digits from the query string are parsed into the number the column compares with", () => {
    // A query string only ever holds text: a filter that wants a JSON number can never be met.
    const schema = filterSchema(widgets.serial, {}, "Only this serial.");
    expect(accepts(schema, "9007199254740991")).toBe(true);
    expect(schema.safeParse("42").data).toBe(42);
  });
});

describe("defaults sent back on create and PUT (crud/fields.ts defaultValue)", () => {
  it("is null without a default, else the column's literal default", () => {
    expect(defaultValue("notes", widgets.notes)).toBeNull();
    expect(defaultValue("grade", widgets.grade)).toBe("B1");
    expect(defaultValue("active", widgets.active)).toBe(true);
    expect(defaultValue("status", widgets.status)).toBe("draft");
  });

  it("gives a literal instant default as the API's RFC 3339 text", () => {
    expect(defaultValue("since", odd.since)).toBe("2026-01-02T03:04:05.678Z");
  });

  it("refuses an SQL default or a default function, which it could not send back on PUT", () => {
    expect(() => defaultValue("seen", odd.seen)).toThrow(
      "field seen: the CRUD kit needs a literal .default(), not SQL, to send it back on PUT",
    );
    expect(() => defaultValue("label", odd.label)).toThrow("field label");
    expect(() => defaultValue("token", odd.token)).toThrow("field token");
  });
});

describe("a resource's schemas (crud/schemas.ts)", () => {
  const schemas = resourceSchemas({
    names: namesOf("widget"),
    table: widgets,
    fields: { quantity: { min: 0, max: 1000 }, notes: { max: 50 } },
    sorts: ["quantity"],
    search: ["title"],
    filters: [
      { name: "minQuantity", field: "quantity", op: "gte" },
      { name: "maxQuantity", field: "quantity", op: "lte" },
      { name: "status", field: "status", op: "eq" },
    ],
  });
  const required = { title: "Lamp", code: "L-1", quantity: 3, serial: 7, price: "1.50", ownerId: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f" };

  it("create: the fields without a default and not nullable are required, the rest optional", () => {
    expect(accepts(schemas.Create, required)).toBe(true);
    for (const key of Object.keys(required)) {
      const { [key as keyof typeof required]: _left, ...rest } = required;
      expect(accepts(schemas.Create, rest), key).toBe(false);
    }
    expect(accepts(schemas.Create, { ...required, notes: null, grade: "C2", active: false, status: "live", seenAt: null })).toBe(true);
  });

  it("create: server-owned and unknown fields are refused, not dropped", () => {
    expect(accepts(schemas.Create, { ...required, id: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f" })).toBe(false);
    expect(accepts(schemas.Create, { ...required, version: 2 })).toBe(false);
    expect(accepts(schemas.Create, { ...required, colour: "red" })).toBe(false);
  });

  it("patch: every field optional, null only where the column is nullable, unknown fields refused", () => {
    expect(accepts(schemas.Patch, {})).toBe(true);
    expect(accepts(schemas.Patch, { notes: null })).toBe(true);
    expect(accepts(schemas.Patch, { title: null })).toBe(false);
    expect(accepts(schemas.Patch, { colour: "red" })).toBe(false);
  });

  it("list query: paging, the declared sorts both ways, q where something is searched, filters parsed", () => {
    expect(parsed(schemas.ListQuery, { limit: "5", sort: "-quantity", q: "lamp", minQuantity: "2", status: "live" })).toEqual({
      limit: 5,
      sort: "-quantity",
      q: "lamp",
      minQuantity: 2,
      status: "live",
    });
    for (const sort of ["createdAt", "-createdAt", "quantity"]) expect(accepts(schemas.ListQuery, { sort })).toBe(true);
    expect(accepts(schemas.ListQuery, { sort: "title" })).toBe(false);
    expect(accepts(schemas.ListQuery, { limit: "0" })).toBe(false);
    expect(accepts(schemas.ListQuery, { limit: "101" })).toBe(false);
    expect(accepts(schemas.ListQuery, { q: "" })).toBe(false);
    expect(accepts(schemas.ListQuery, { q: "a\u0000" })).toBe(false);
  });

  it("list query: a gte/lte pair on one field is a range, refused when its low end is above its high end", () => {
    expect(accepts(schemas.ListQuery, { minQuantity: "5", maxQuantity: "5" })).toBe(true);
    const refusal = schemas.ListQuery.safeParse({ minQuantity: "6", maxQuantity: "5" }).error?.issues;
    expect(refusal).toEqual([
      expect.objectContaining({ path: ["minQuantity"], message: "minQuantity must not be greater than maxQuantity" }),
    ]);
  });

  it("list query: no q parameter when nothing is searched", () => {
    const unsearched = resourceSchemas({ names: namesOf("owner"), table: owners, fields: {}, sorts: [], search: [], filters: [] });
    expect(Object.keys(unsearched.ListQuery.shape)).toEqual(["limit", "cursor", "sort"]);
  });

  it("takes only UUIDs as ids", () => {
    expect(accepts(schemas.IdParams, { id: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f" })).toBe(true);
    expect(accepts(schemas.IdParams, { id: "42" })).toBe(false);
  });
});

describe("resource names (crud/names.ts)", () => {
  it("pluralises the simple English way", () => {
    expect(["item", "box", "category", "day", "bus", "match", "wish"].map(pluralise)).toEqual([
      "items",
      "boxes",
      "categories",
      "days",
      "buses",
      "matches",
      "wishes",
    ]);
  });

  it("spells a kebab-case name in every casing, pluralising its last word", () => {
    expect(namesOf("stock-item")).toEqual({
      kebab: "stock-item",
      kebabPlural: "stock-items",
      camel: "stockItem",
      camelPlural: "stockItems",
      pascal: "StockItem",
      pascalPlural: "StockItems",
      snakePlural: "stock_items",
      words: "stock item",
      wordsPlural: "stock items",
      article: "a",
    });
  });

  it("takes a declared plural where the simple one is wrong", () => {
    expect(namesOf("person", "people")).toMatchObject({ kebabPlural: "people", pascalPlural: "People", snakePlural: "people" });
    expect(namesOf("sales-person", "sales-people")).toMatchObject({ camelPlural: "salesPeople", wordsPlural: "sales people" });
  });

  it("picks a or an by the sound of the first word", () => {
    expect(namesOf("order").article).toBe("an");
    expect(namesOf("item").article).toBe("an");
    expect(namesOf("widget").article).toBe("a");
    expect(namesOf("user-group").article).toBe("a");
    expect(namesOf("unit").article).toBe("a");
    expect(namesOf("umbrella").article).toBe("an");
    expect(namesOf("hour-slot").article).toBe("an");
  });
});

describe("declaring a resource (crud/resource.ts)", () => {
  it("refuses a sort its keyset cursor could not walk: nullable, bigint or boolean columns", () => {
    for (const sort of ["batch", "serial", "active"] as const)
      expect(() => defineResource({ name: "widget", table: widgets, list: { sorts: [sort] } }), sort).toThrow(/only NOT NULL/);
    expect(() => defineResource({ name: "widget", table: widgets, list: { sorts: ["title", "quantity", "seenAt"] } })).toThrow(/seenAt/);
    expect(defineResource({ name: "widget", table: widgets, list: { sorts: ["title", "quantity"] } }).names.pascalPlural).toBe("Widgets");
  });

  it("checks a range pair of decimal and instant filters too", () => {
    const { ListQuery } = resourceSchemas({
      names: namesOf("widget"),
      table: widgets,
      fields: {},
      sorts: [],
      search: [],
      filters: [
        { name: "minPrice", field: "price", op: "gte" },
        { name: "maxPrice", field: "price", op: "lte" },
        { name: "seenFrom", field: "seenAt", op: "gte" },
        { name: "seenTo", field: "seenAt", op: "lte" },
      ],
    });
    expect(accepts(ListQuery, { minPrice: "2.5", maxPrice: "10.25" })).toBe(true);
    expect(accepts(ListQuery, { minPrice: "10.5", maxPrice: "9.75" })).toBe(false);
    expect(accepts(ListQuery, { seenFrom: "2026-01-01T00:00:00.000Z", seenTo: "2026-02-01T00:00:00.000Z" })).toBe(true);
    expect(accepts(ListQuery, { seenFrom: "2026-03-01T00:00:00.000Z", seenTo: "2026-02-01T00:00:00.000Z" })).toBe(false);
  });
});

// A unit test with fake driver errors, on purpose: the real constraint violations are exercised through HTTP
// against Postgres in test/node/crud-kit.test.ts. These fakes are shaped like node-postgres' DatabaseError
// (`code`, `constraint`), wrapped in a `cause` as Drizzle's "Failed query" error wraps it.
const driverError = (code: string, constraint?: string) =>
  new Error("Failed query: insert into …", { cause: Object.assign(new Error("violates a constraint"), { code, constraint }) });

describe("constraint violations in the domain's words (db/write-errors.ts)", () => {
  const errors = writeErrors(widgets, "widget");
  const thrown = (write: () => never) => {
    try {
      write();
    } catch (error) {
      return error;
    }
    throw new Error("did not throw");
  };

  it("names the field of a column's unique constraint (Drizzle's default name)", () => {
    const error = thrown(() => errors.write(driverError("23505", "unit_widgets_code_unique")));
    expect(error).toBeInstanceOf(Taken);
    expect(error).toMatchObject({ resource: "widget", field: "code" });
  });

  it("names the field of a one-column unique constraint declared on the table", () => {
    expect(thrown(() => errors.write(driverError("23505", "unit_widgets_serial_key")))).toMatchObject({ field: "serial" });
  });

  it("names no field for a unique constraint over several columns, nor for an unknown one", () => {
    expect(thrown(() => errors.write(driverError("23505", "unit_widgets_title_batch_unique")))).toMatchObject({ field: "(root)" });
    expect(thrown(() => errors.write(driverError("23505", "some_index")))).toMatchObject({ field: "(root)" });
    expect(thrown(() => errors.write(driverError("23505")))).toMatchObject({ field: "(root)" });
  });

  it("names the referencing field of a foreign key (Drizzle's default name)", () => {
    const error = thrown(() => errors.write(driverError("23503", "unit_widgets_owner_id_unit_owners_id_fk")));
    expect(error).toBeInstanceOf(UnknownReference);
    expect(error).toMatchObject({ field: "ownerId" });
  });

  it("names the field of a foreign key whose default name Postgres cut to 63 bytes", () => {
    // Postgres truncates identifiers to NAMEDATALEN - 1 = 63 bytes (with a NOTICE) when the migration creates
    // the constraint, and reports the truncated name when it is violated.
    const parents = pgTable("purchase_order_lines", { ...resourceId(), ...resourceStamps() });
    const children = pgTable("inventory_adjustments", {
      ...resourceId(),
      purchaseOrderLineId: uuid("purchase_order_line_id").references(() => parents.id),
      ...resourceStamps(),
    });
    const fullName = "inventory_adjustments_purchase_order_line_id_purchase_order_lines_id_fk";
    const reported = fullName.slice(0, 63);
    expect(thrown(() => writeErrors(children, "inventory adjustment").write(driverError("23503", reported)))).toMatchObject({
      field: "purchaseOrderLineId",
    });
  });

  it("passes on any other error untouched", () => {
    const other = driverError("22003");
    expect(thrown(() => errors.write(other))).toBe(other);
    const plain = new Error("socket hang up");
    expect(thrown(() => errors.write(plain))).toBe(plain);
  });

  it("on delete: a foreign key violation means other rows still refer to this one", () => {
    const error = thrown(() => errors.remove(driverError("23503", "other_table_widget_id_fk")));
    expect(error).toBeInstanceOf(StillReferenced);
    expect(error).toMatchObject({ resource: "widget" });
    const other = driverError("23505");
    expect(thrown(() => errors.remove(other))).toBe(other);
  });
});
