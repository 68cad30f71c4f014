// The CRUD kit end to end over HTTP, on tables of this test's own: `defineResource` over a table with every
// field kind the kit supports, mounted with `resourceRouter`, against real Postgres through node-postgres.
// It needs no resource of the service's, so a service generated without the example resource keeps it
// (and the kit's coverage with it).
import { bigint, boolean, char, getTableConfig, integer, numeric, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resourceId, resourceStamps } from "../../src/db/resource-table";
import { defineResource } from "../../src/modules/crud/resource";
import { resourceRouter } from "../../src/modules/crud/router";
import { resourceApp } from "../harness/resource-app";

// Test files share the run's database and run in parallel: the tables get names of their own, dropped afterwards.
const suffix = Math.random().toString(36).slice(2, 8);

const makers = pgTable(`kit_makers_${suffix}`, {
  ...resourceId(),
  name: varchar("name", { length: 100 }).notNull(),
  ...resourceStamps(),
});

const instruments = pgTable(`kit_instruments_${suffix}`, {
  ...resourceId(),
  name: varchar("name", { length: 80 }).notNull(),
  code: varchar("code", { length: 32 }).notNull().unique(),
  grade: char("grade", { length: 2 }).notNull().default("B1"),
  notes: text("notes"),
  quantity: integer("quantity").notNull(),
  serial: bigint("serial", { mode: "number" }).notNull(),
  active: boolean("active").notNull().default(true),
  price: numeric("price", { precision: 14, scale: 2 }).notNull(),
  launchedAt: timestamp("launched_at", { withTimezone: true, precision: 3 }),
  batch: uuid("batch"),
  status: text("status", { enum: ["draft", "live", "retired"] })
    .notNull()
    .default("draft"),
  makerId: uuid("maker_id")
    .notNull()
    .references(() => makers.id),
  ...resourceStamps(),
});

// A reference whose Drizzle-made constraint name is longer than Postgres keeps (63 bytes).
const holders = pgTable(`kit_holders_${suffix}`, {
  ...resourceId(),
  originalEquipmentMakerId: uuid("original_equipment_maker_id").references(() => makers.id),
  ...resourceStamps(),
});

const makerResource = defineResource({ name: "maker", table: makers });
const holderResource = defineResource({ name: "holder", table: holders });

// "instrument" starts with a vowel, so the prose's article is checked too.
const instrumentResource = defineResource({
  name: "instrument",
  table: instruments,
  fields: {
    code: { pattern: { regex: /^[A-Z]{2}-\d{1,6}$/, message: "must be two capitals, a dash and 1..6 digits" }, example: "VN-1" },
    notes: { max: 500 },
    quantity: { min: 0, max: 1000, description: "How many are in stock." },
  },
  list: {
    sorts: ["quantity"],
    search: ["name", "notes"],
    filters: [
      { name: "maker", field: "makerId", op: "eq", description: "Only this maker's instruments." },
      { name: "status", field: "status", op: "eq" },
      { name: "active", field: "active", op: "eq" },
      { name: "minQuantity", field: "quantity", op: "gte" },
      { name: "maxQuantity", field: "quantity", op: "lte" },
      { name: "serial", field: "serial", op: "eq" },
    ],
  },
});

// The constraint names are Drizzle's own (what drizzle-kit would write in the migration): write-errors.ts reads them from the table.
const codeUnique = instruments.code.uniqueName ?? "";
const makerForeignKey = getTableConfig(instruments).foreignKeys[0]?.getName() ?? "";
const stamps = `version integer not null default 1,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now()`;

const holderForeignKey = getTableConfig(holders).foreignKeys[0]?.getName() ?? "";

const app = resourceApp({
  makers: resourceRouter(makerResource),
  instruments: resourceRouter(instrumentResource),
  holders: resourceRouter(holderResource),
});
const asEditor = app.as("editor");
const asAdmin = app.as("admin");

beforeAll(async () => {
  await app.database.pool.query(`create table ${getTableConfig(makers).name} (id uuid primary key, name varchar(100) not null, ${stamps})`);
  await app.database.pool.query(`create table ${getTableConfig(instruments).name} (
    id uuid primary key,
    name varchar(80) not null,
    code varchar(32) not null constraint ${codeUnique} unique,
    grade char(2) not null default 'B1',
    notes text,
    quantity integer not null,
    serial bigint not null,
    active boolean not null default true,
    price numeric(14, 2) not null,
    launched_at timestamptz(3),
    batch uuid,
    status text not null default 'draft',
    maker_id uuid not null constraint ${makerForeignKey} references ${getTableConfig(makers).name} (id),
    ${stamps})`);
  await app.database.pool.query(`create table ${getTableConfig(holders).name} (
    id uuid primary key,
    original_equipment_maker_id uuid constraint ${holderForeignKey} references ${getTableConfig(makers).name} (id),
    ${stamps})`);
});

afterAll(async () => {
  await app.database.pool.query(
    `drop table if exists ${getTableConfig(holders).name}, ${getTableConfig(instruments).name}, ${getTableConfig(makers).name}`,
  );
  await app.close();
});

const INSTRUMENTS = "/api/v1/instruments";
const UNKNOWN_ID = "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f";

interface Instrument {
  id: string;
  name: string;
  code: string;
  grade: string;
  notes: string | null;
  quantity: number;
  serial: number;
  active: boolean;
  price: string;
  launchedAt: string | null;
  batch: string | null;
  status: string;
  makerId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; code: string; message: string }[];
}

interface Page {
  data: Instrument[];
  nextCursor: string | null;
}

const json = (body: unknown, method = "POST", headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

let codes = 0;
/** A unique code within this file's table. */
const nextCode = () => `KT-${++codes}`;

async function newMaker(): Promise<string> {
  const response = await asEditor("/api/v1/makers", json({ name: "Bench & Sons" }));
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** The required fields only: everything else is nullable or has a default. */
const required = (makerId: string, overrides: Record<string, unknown> = {}) => ({
  name: "Violin",
  code: nextCode(),
  quantity: 3,
  serial: 42,
  price: "999.00",
  makerId,
  ...overrides,
});

async function created(makerId: string, overrides: Record<string, unknown> = {}): Promise<Instrument> {
  const response = await asEditor(INSTRUMENTS, json(required(makerId, overrides)));
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Instrument;
}

const listed = async (query: string) => {
  const response = await asEditor(`${INSTRUMENTS}?${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Page;
};

/** What the optional fields are when a create or a PUT leaves them out: the columns' defaults, else null. */
const OMITTED_FIELDS = { grade: "B1", notes: null, active: true, launchedAt: null, batch: null, status: "draft" } as const;

describe("CRUD kit: create and read", () => {
  it("creates with 201, Location and ETag, filling omitted fields with their defaults or null", async () => {
    const makerId = await newMaker();
    const input = required(makerId);
    const response = await asEditor(INSTRUMENTS, json(input));
    expect(response.status).toBe(201);
    const body = (await response.json()) as Instrument;
    expect(response.headers.get("location")).toBe(`${INSTRUMENTS}/${body.id}`);
    expect(response.headers.get("etag")).toBe(`"${body.id}.1"`);
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...input,
      ...OMITTED_FIELDS,
      version: 1,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: body.createdAt,
    });
  });

  it("gets what it created, and answers 304 without a body when If-None-Match names the current ETag", async () => {
    const instrument = await created(await newMaker(), { notes: "Spruce top" });
    const response = await asEditor(`${INSTRUMENTS}/${instrument.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(instrument);
    const etag = response.headers.get("etag") ?? "";
    expect(etag).toBe(`"${instrument.id}.1"`);
    const cached = await app.as("viewer")(`${INSTRUMENTS}/${instrument.id}`, { headers: { "if-none-match": etag } });
    expect(cached.status).toBe(304);
    expect(cached.headers.get("etag")).toBe(etag);
    expect(await cached.text()).toBe("");
  });

  it("keeps decimals, big integers and instants exact: decimals and instants travel as strings", async () => {
    const instrument = await created(await newMaker(), {
      price: "1234567890.5",
      serial: Number.MAX_SAFE_INTEGER,
      launchedAt: "2026-03-01T12:34:56.789Z",
      batch: "01937c5e-1111-7222-8333-444455556666",
      active: false,
      status: "live",
      grade: "A1",
    });
    expect(instrument).toMatchObject({
      price: "1234567890.50",
      serial: Number.MAX_SAFE_INTEGER,
      launchedAt: "2026-03-01T12:34:56.789Z",
      batch: "01937c5e-1111-7222-8333-444455556666",
      active: false,
      status: "live",
      grade: "A1",
    });
    expect(await (await asEditor(`${INSTRUMENTS}/${instrument.id}`)).json()).toEqual(instrument);
  });

  /** Creates under a fresh Idempotency-Key twice with one body: the first answer and the replay. */
  async function createdTwice(makerId: string) {
    const input = required(makerId, { price: "0.10", launchedAt: "2026-03-01T00:00:00.001Z", notes: null });
    const key = `kit-${suffix}-${codes}`;
    const first = await asEditor(INSTRUMENTS, json(input, "POST", { "idempotency-key": key }));
    const again = await asEditor(INSTRUMENTS, json(input, "POST", { "idempotency-key": key }));
    return { input, key, first, again, firstText: await first.text(), againText: await again.text() };
  }

  it("replays an Idempotency-Key's create with the same answer and headers, and creates one row", async () => {
    const makerId = await newMaker();
    const { input, key, first, again, firstText, againText } = await createdTwice(makerId);
    expect(first.status, firstText).toBe(201);
    expect(again.status).toBe(201);
    expect(JSON.parse(againText)).toEqual(JSON.parse(firstText));
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(again.headers.get("idempotency-replayed")).toBe("true");
    // The stored answer is the API's own: the same as a read of the row, decimals and instants included.
    const instrument = JSON.parse(firstText) as Instrument;
    expect(instrument).toMatchObject({ price: "0.10", launchedAt: "2026-03-01T00:00:00.001Z", notes: null, grade: "B1" });
    expect(await (await asEditor(`${INSTRUMENTS}/${instrument.id}`)).json()).toEqual(instrument);
    expect((await listed(`maker=${makerId}`)).data.map((row) => row.id)).toEqual([instrument.id]);
    const otherBody = await asEditor(INSTRUMENTS, json({ ...input, quantity: 4 }, "POST", { "idempotency-key": key }));
    expect(otherBody.status).toBe(422);
  });

  it("replays an Idempotency-Key's create byte for byte, its fields in the API's order", async () => {
    const { firstText, againText } = await createdTwice(await newMaker());
    expect(againText).toBe(firstText);
  });

  it("refuses unknown and server-owned fields, and values against the column's rules, naming the field", async () => {
    const makerId = await newMaker();
    const refusals: [Record<string, unknown>, string, string][] = [
      [{ colour: "red" }, "colour", "unknown_field"],
      [{ version: 3 }, "version", "read_only"],
      [{ code: "kt-1" }, "code", "invalid_format"],
      [{ quantity: 1001 }, "quantity", "too_big"],
      [{ status: "sold" }, "status", "invalid_value"],
      [{ price: "1.234" }, "price", "invalid_format"],
      [{ launchedAt: "2026-03-01T12:34:56+01:00" }, "launchedAt", "invalid_format"],
      [{ name: "   " }, "name", "too_small"],
    ];
    for (const [overrides, path, code] of refusals) {
      const response = await asEditor(INSTRUMENTS, json(required(makerId, overrides)));
      expect(response.status, path).toBe(422);
      expect(((await response.json()) as Problem).errors, path).toEqual([expect.objectContaining({ path, code })]);
    }
    const missing = await asEditor(INSTRUMENTS, json({ name: "Viola" }));
    expect(((await missing.json()) as Problem).errors?.map((error) => error.path).sort()).toEqual(
      ["code", "makerId", "price", "quantity", "serial"].sort(),
    );
    expect((await listed(`maker=${makerId}`)).data).toEqual([]);
  });

  it("lets only the roles the routes name in: viewers read, editors write, admins delete", async () => {
    const instrument = await created(await newMaker());
    expect((await app.as("anonymous")(INSTRUMENTS)).status).toBe(401);
    expect((await app.as("viewer")(INSTRUMENTS, json(required(instrument.makerId)))).status).toBe(403);
    expect((await asEditor(`${INSTRUMENTS}/${instrument.id}`, { method: "DELETE" })).status).toBe(403);
  });
});

describe("CRUD kit: lists", () => {
  /** Five instruments of one new maker: quantities 5, 1, 9, 3, 7. */
  async function fiveOfOneMaker() {
    const makerId = await newMaker();
    const rows: Instrument[] = [];
    for (const [quantity, status, active, name, notes] of [
      [5, "live", true, "Cello", null],
      [1, "draft", true, "Double bass", "a CELLO's big sister"],
      [9, "live", false, "Viola", null],
      [3, "retired", true, "Violin", "baroque"],
      [7, "live", true, "Viola da gamba", null],
    ] as const)
      rows.push(await created(makerId, { quantity, status, active, name, notes }));
    return { makerId, rows };
  }
  const quantities = (page: Page) => page.data.map((row) => row.quantity);

  it("sorts by a declared field either way, newest first by default", async () => {
    const { makerId, rows } = await fiveOfOneMaker();
    expect(quantities(await listed(`maker=${makerId}&sort=quantity`))).toEqual([1, 3, 5, 7, 9]);
    expect(quantities(await listed(`maker=${makerId}&sort=-quantity`))).toEqual([9, 7, 5, 3, 1]);
    expect((await listed(`maker=${makerId}`)).data.map((row) => row.id)).toEqual(rows.map((row) => row.id).reverse());
    expect((await listed(`maker=${makerId}&sort=createdAt`)).data.map((row) => row.id)).toEqual(rows.map((row) => row.id));
  });

  it("filters by equality and by a gte/lte range, and refuses a range whose low end is above its high end", async () => {
    const { makerId } = await fiveOfOneMaker();
    expect(quantities(await listed(`maker=${makerId}&status=live&sort=quantity`))).toEqual([5, 7, 9]);
    expect(quantities(await listed(`maker=${makerId}&active=false`))).toEqual([9]);
    expect(quantities(await listed(`maker=${makerId}&minQuantity=3&maxQuantity=7&sort=quantity`))).toEqual([3, 5, 7]);
    expect(quantities(await listed(`maker=${makerId}&minQuantity=6&sort=quantity`))).toEqual([7, 9]);
    expect(quantities(await listed(`maker=${makerId}&minQuantity=5&maxQuantity=5`))).toEqual([5]);
    const inverted = await asEditor(`${INSTRUMENTS}?maker=${makerId}&minQuantity=8&maxQuantity=2`);
    expect(inverted.status).toBe(422);
    expect(((await inverted.json()) as Problem).errors).toEqual([
      expect.objectContaining({ path: "minQuantity", message: "minQuantity must not be greater than maxQuantity" }),
    ]);
  });

  it("filters by a bigint field given in the query string", async () => {
    const makerId = await newMaker();
    const wanted = await created(makerId, { serial: 2 ** 40 });
    await created(makerId, { serial: 7 });
    expect((await listed(`maker=${makerId}&serial=${2 ** 40}`)).data.map((row) => row.id)).toEqual([wanted.id]);
  });

  it("finds a case-insensitive substring of any searched field with q", async () => {
    const { makerId } = await fiveOfOneMaker();
    expect(quantities(await listed(`maker=${makerId}&q=VIOL&sort=quantity`))).toEqual([3, 7, 9]);
    // "cello" is a name of one and in the notes of another.
    expect(quantities(await listed(`maker=${makerId}&q=cello&sort=quantity`))).toEqual([1, 5]);
    expect(quantities(await listed(`maker=${makerId}&q=${encodeURIComponent("%")}`))).toEqual([]);
  });

  it("pages with a cursor and a Link to the next page, and refuses the cursor with other filters", async () => {
    const { makerId } = await fiveOfOneMaker();
    const seen: number[] = [];
    let path: string | undefined = `${INSTRUMENTS}?maker=${makerId}&sort=quantity&limit=2`;
    let pages = 0;
    let firstCursor = "";
    while (path !== undefined && pages < 5) {
      const response = await asEditor(path);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      seen.push(...quantities(page));
      pages++;
      const link = response.headers.get("link");
      if (page.nextCursor === null) {
        expect(link).toBeNull();
        path = undefined;
        continue;
      }
      firstCursor ||= page.nextCursor;
      // Rebuilt from the validated query, in the schema's order, never echoed from the request.
      expect(link).toBe(`<${INSTRUMENTS}?limit=2&sort=quantity&maker=${makerId}&cursor=${page.nextCursor}>; rel="next"`);
      path = /^<([^>]+)>/.exec(link ?? "")?.[1];
    }
    expect(seen).toEqual([1, 3, 5, 7, 9]);
    expect(pages).toBe(3);

    const otherFilters = await asEditor(`${INSTRUMENTS}?maker=${makerId}&sort=quantity&limit=2&status=live&cursor=${firstCursor}`);
    expect(otherFilters.status).toBe(422);
    expect(((await otherFilters.json()) as Problem).errors).toEqual([
      { path: "cursor", code: "invalid_cursor", message: "cursor was made for other filters." },
    ]);
    const otherSort = await asEditor(`${INSTRUMENTS}?maker=${makerId}&sort=-quantity&limit=2&cursor=${firstCursor}`);
    expect(((await otherSort.json()) as Problem).errors?.[0]?.code).toBe("invalid_cursor");
  });
});

describe("CRUD kit: changes", () => {
  it("PUT replaces every field: omitted ones go back to the char default, the other defaults and null", async () => {
    const makerId = await newMaker();
    const instrument = await created(makerId, {
      grade: "A1",
      notes: "Varnished",
      active: false,
      launchedAt: "2026-03-01T12:34:56.789Z",
      batch: "01937c5e-1111-7222-8333-444455556666",
      status: "live",
    });
    const input = required(makerId, { code: instrument.code, quantity: 8 });
    const response = await asEditor(`${INSTRUMENTS}/${instrument.id}`, json(input, "PUT", { "if-match": `"${instrument.id}.1"` }));
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe(`"${instrument.id}.2"`);
    expect(await response.json()).toEqual({
      ...instrument,
      ...input,
      ...OMITTED_FIELDS,
      version: 2,
      updatedAt: expect.any(String),
    });
  });

  it("PATCH merges: present fields are set, null clears, absent ones stay", async () => {
    const instrument = await created(await newMaker(), { notes: "Old strings", launchedAt: "2026-03-01T12:34:56.789Z" });
    const response = await asEditor(`${INSTRUMENTS}/${instrument.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/merge-patch+json" },
      body: JSON.stringify({ notes: null, launchedAt: null, quantity: 4, price: "10.5" }),
    });
    expect(response.status).toBe(200);
    const patched = (await response.json()) as Instrument;
    expect(patched).toEqual({
      ...instrument,
      notes: null,
      launchedAt: null,
      quantity: 4,
      price: "10.50",
      version: 2,
      updatedAt: expect.any(String),
    });
    expect(Date.parse(patched.updatedAt)).toBeGreaterThanOrEqual(Date.parse(instrument.updatedAt));
  });

  it("a PATCH that changes nothing keeps the version, the ETag and updatedAt", async () => {
    const instrument = await created(await newMaker(), { price: "12.50", launchedAt: "2026-03-01T12:34:56.789Z" });
    const same = { quantity: instrument.quantity, price: "12.5", launchedAt: instrument.launchedAt, notes: null };
    for (const body of [{}, same]) {
      const response = await asEditor(`${INSTRUMENTS}/${instrument.id}`, json(body, "PATCH", { "if-match": `"${instrument.id}.1"` }));
      expect(response.status).toBe(200);
      expect(response.headers.get("etag")).toBe(`"${instrument.id}.1"`);
      expect(await response.json()).toEqual(instrument);
    }
  });

  it("answers 412 when If-Match names another version or another resource, and changes nothing", async () => {
    const instrument = await created(await newMaker());
    const path = `${INSTRUMENTS}/${instrument.id}`;
    for (const ifMatch of [`"${instrument.id}.2"`, `"${UNKNOWN_ID}.1"`, `W/"${instrument.id}.1"`]) {
      const patch = await asEditor(path, json({ quantity: 9 }, "PATCH", { "if-match": ifMatch }));
      expect(patch.status, ifMatch).toBe(412);
      const put = await asEditor(path, json(required(instrument.makerId, { code: instrument.code }), "PUT", { "if-match": ifMatch }));
      expect(put.status, ifMatch).toBe(412);
      expect((await asAdmin(path, { method: "DELETE", headers: { "if-match": ifMatch } })).status, ifMatch).toBe(412);
    }
    const stale = await asEditor(path, json({ quantity: 9 }, "PATCH", { "if-match": `"${instrument.id}.2"` }));
    expect(((await stale.json()) as Problem).detail).toBe("If-Match does not match the current version (1); nothing was changed.");
    expect(await (await asEditor(path)).json()).toEqual(instrument);
  });

  it("answers 404 for an id that names nothing, on every operation", async () => {
    const makerId = await newMaker();
    const path = `${INSTRUMENTS}/${UNKNOWN_ID}`;
    const answers = [
      await asEditor(path),
      await asEditor(path, json(required(makerId), "PUT")),
      await asEditor(path, json({ quantity: 2 }, "PATCH")),
      await asEditor(path, json({ quantity: 2 }, "PATCH", { "if-match": `"${UNKNOWN_ID}.1"` })),
      await asAdmin(path, { method: "DELETE" }),
    ];
    for (const response of answers) {
      expect(response.status).toBe(404);
      expect(((await response.json()) as Problem).detail).toBe("Instrument was not found.");
    }
  });

  it("answers 409 naming the field when a unique value is taken, on create and on change", async () => {
    const makerId = await newMaker();
    const first = await created(makerId);
    const second = await created(makerId);
    const duplicate = await asEditor(INSTRUMENTS, json(required(makerId, { code: first.code })));
    expect(duplicate.status).toBe(409);
    const problem = (await duplicate.json()) as Problem;
    expect(problem).toMatchObject({ code: "conflict", errors: [{ path: "code", code: "taken", message: "code is already in use." }] });
    const patch = await asEditor(`${INSTRUMENTS}/${second.id}`, json({ code: first.code }, "PATCH"));
    expect(patch.status).toBe(409);
    expect(((await patch.json()) as Problem).errors?.[0]?.path).toBe("code");
  });

  it("says 'an instrument' in the taken problem's detail, as the resource's article is", async () => {
    const makerId = await newMaker();
    const first = await created(makerId);
    const duplicate = await asEditor(INSTRUMENTS, json(required(makerId, { code: first.code })));
    expect(((await duplicate.json()) as Problem).detail).toBe("An instrument with this code already exists.");
  });

  it("answers 422 naming the field when a reference names nothing, on create and on change", async () => {
    const instrument = await created(await newMaker());
    for (const response of [
      await asEditor(INSTRUMENTS, json(required(UNKNOWN_ID))),
      await asEditor(`${INSTRUMENTS}/${instrument.id}`, json({ makerId: UNKNOWN_ID }, "PATCH")),
    ]) {
      expect(response.status).toBe(422);
      expect(((await response.json()) as Problem).errors).toEqual([
        { path: "makerId", code: "not_found", message: "makerId does not exist." },
      ]);
    }
  });

  it("names the field of a reference whose constraint name Postgres cut to 63 bytes", async () => {
    expect(new TextEncoder().encode(holderForeignKey).length).toBeGreaterThan(63);
    const stored = await app.database.pool.query<{ name: string }>(
      "select conname as name from pg_constraint where conrelid = $1::regclass and contype = 'f'",
      [getTableConfig(holders).name],
    );
    expect(stored.rows.map((row) => row.name)).toEqual([holderForeignKey.slice(0, 63)]);
    const response = await asEditor("/api/v1/holders", json({ originalEquipmentMakerId: UNKNOWN_ID }));
    expect(response.status).toBe(422);
    expect(((await response.json()) as Problem).errors).toEqual([
      { path: "originalEquipmentMakerId", code: "not_found", message: "originalEquipmentMakerId does not exist." },
    ]);
  });

  it("refuses with 409 to delete a row others still refer to, and deletes it once they are gone", async () => {
    const makerId = await newMaker();
    const instrument = await created(makerId);
    const refused = await asAdmin(`/api/v1/makers/${makerId}`, { method: "DELETE" });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Problem).detail).toBe("Other resources still refer to this maker; delete or change them first.");
    expect((await asAdmin(`${INSTRUMENTS}/${instrument.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await asAdmin(`/api/v1/makers/${makerId}`, { method: "DELETE" })).status).toBe(204);
  });

  it("deletes with 204, pinned to a version or not; then the id names nothing", async () => {
    const makerId = await newMaker();
    const pinned = await created(makerId);
    const unpinned = await created(makerId);
    const first = await asAdmin(`${INSTRUMENTS}/${pinned.id}`, { method: "DELETE", headers: { "if-match": `"${pinned.id}.1"` } });
    expect(first.status).toBe(204);
    expect(await first.text()).toBe("");
    expect((await asAdmin(`${INSTRUMENTS}/${unpinned.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await asEditor(`${INSTRUMENTS}/${pinned.id}`)).status).toBe(404);
    expect((await asAdmin(`${INSTRUMENTS}/${unpinned.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await listed(`maker=${makerId}`)).data).toEqual([]);
  });
});

interface JsonSchema {
  type?: string | string[];
  required?: string[];
  properties?: Record<string, JsonSchema>;
  pattern?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  description?: string;
  example?: unknown;
  format?: string;
}
interface DocumentedOperation {
  operationId: string;
  summary: string;
  parameters?: { name: string; in: string; description?: string; schema: JsonSchema }[];
}

describe("CRUD kit: the OpenAPI document of a mounted resource", () => {
  const schemas = (app.document.components?.schemas ?? {}) as Record<string, JsonSchema>;
  const paths = app.document.paths as unknown as Record<string, Record<string, DocumentedOperation>>;

  it("names the six operations and the schemas after the resource, with its article", () => {
    const operations = [...Object.values(paths[INSTRUMENTS] ?? {}), ...Object.values(paths[`${INSTRUMENTS}/{id}`] ?? {})].map(
      (operation) => [operation.operationId, operation.summary],
    );
    expect(Object.fromEntries(operations)).toEqual({
      listInstruments: "List instruments (keyset paging)",
      createInstrument: "Create an instrument",
      getInstrument: "Get an instrument",
      replaceInstrument: "Replace an instrument's writable fields",
      patchInstrument: "Change some fields (JSON merge patch)",
      deleteInstrument: "Delete an instrument",
    });
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining(["Instrument", "CreateInstrument", "ReplaceInstrument", "InstrumentMergePatch", "InstrumentPage", "Maker"]),
    );
  });

  it("requires on create exactly the fields that are neither nullable nor defaulted", () => {
    expect(schemas.CreateInstrument?.required?.sort()).toEqual(["code", "makerId", "name", "price", "quantity", "serial"]);
    expect(schemas.InstrumentMergePatch?.required).toBeUndefined();
    expect(schemas.Instrument?.required?.sort()).toEqual(Object.keys(schemas.Instrument?.properties ?? {}).sort());
  });

  it("states each field's rules: nullability, pattern, enum, bounds, lengths and formats", () => {
    const fields = schemas.CreateInstrument?.properties ?? {};
    expect(fields.code).toMatchObject({ type: "string", pattern: "^[A-Z]{2}-\\d{1,6}$", example: "VN-1" });
    expect(fields.name).toMatchObject({ type: "string", maxLength: 80, description: "1..80 characters after trimming." });
    expect(fields.grade).toMatchObject({ type: "string", maxLength: 2 });
    expect(fields.notes).toMatchObject({ type: ["string", "null"], maxLength: 500, description: "Up to 500 characters, or null." });
    expect(fields.quantity).toMatchObject({ type: "integer", minimum: 0, maximum: 1000, description: "How many are in stock." });
    expect(fields.serial).toMatchObject({ type: "integer", minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER });
    expect(fields.active).toMatchObject({ type: "boolean" });
    expect(fields.price).toMatchObject({ type: "string", pattern: "^-?\\d{1,12}(\\.\\d{1,2})?$" });
    expect(fields.launchedAt).toMatchObject({ type: ["string", "null"], format: "date-time" });
    expect(fields.batch).toMatchObject({ type: ["string", "null"], format: "uuid" });
    expect(fields.status).toMatchObject({ type: "string", enum: ["draft", "live", "retired"] });
    expect(fields.makerId).toMatchObject({ type: "string", format: "uuid" });
    const read = schemas.Instrument?.properties ?? {};
    expect(read.price).toMatchObject({ type: "string" });
    expect(read.notes).toMatchObject({ type: ["string", "null"] });
  });

  it("documents the list's sorts, search and filters as query parameters", () => {
    const parameters = paths[INSTRUMENTS]?.get?.parameters ?? [];
    const byName = Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter]));
    expect(Object.keys(byName)).toEqual([
      "limit",
      "cursor",
      "sort",
      "q",
      "maker",
      "status",
      "active",
      "minQuantity",
      "maxQuantity",
      "serial",
    ]);
    expect(byName.sort?.schema.enum).toEqual(["createdAt", "-createdAt", "quantity", "-quantity"]);
    expect(byName.q?.description).toBe("Case-insensitive substring of name or notes.");
    expect(byName.maker?.description).toBe("Only this maker's instruments.");
    expect(byName.status).toMatchObject({
      description: "Only instruments with this status.",
      schema: { enum: ["draft", "live", "retired"] },
    });
    expect(byName.active?.schema.type).toBe("boolean");
    expect(byName.minQuantity?.schema).toMatchObject({ type: "integer", minimum: 0, maximum: 1000 });
  });
});
