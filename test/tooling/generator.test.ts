// End to end: the generator in throwaway copies of this repository, checked by the compiler, the linter and real Postgres.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);
/** Root entries the copy leaves out: .git, CI results, and whatever .gitignore names at the root (node_modules, .data, dist, …). */
const SKIP_AT_ROOT = new Set([
  ".git",
  ".ci",
  ...readFileSync(path.join(root, ".gitignore"), "utf8")
    .split("\n")
    .map((line) => line.trim().replace(/^\//, "").replace(/\/$/, ""))
    .filter((line) => line !== "" && !line.startsWith("#") && !/[*/!]/.test(line)),
]);
const copies: string[] = [];

/** The child vitest must not think it runs inside this one. */
const childEnv = () =>
  Object.fromEntries(Object.entries({ ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" }).filter(([key]) => !key.startsWith("VITEST")));

async function copyRepository(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `generator-${label}-`));
  copies.push(dir);
  await cp(root, dir, {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(root, source);
      return !SKIP_AT_ROOT.has(relative.split(path.sep)[0] ?? "");
    },
  });
  await symlink(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

interface Result {
  code: number;
  output: string;
}

async function run(cwd: string, command: string, args: string[], timeout = 180_000): Promise<Result> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, env: childEnv(), timeout, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : 1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

const generate = (cwd: string, ...args: string[]) => run(cwd, "npm", ["run", "--silent", "generate", "--", ...args]);

/** A fingerprint of every file the generator may touch, to prove a refusal wrote nothing. */
async function fingerprint(dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const sub of ["src", "test", "drizzle", "scripts"]) {
    for (const entry of (await readdir(path.join(dir, sub), { recursive: true, withFileTypes: true })).sort((a, b) =>
      `${a.parentPath}/${a.name}`.localeCompare(`${b.parentPath}/${b.name}`),
    )) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      hash.update(file).update(await readFile(file));
    }
  }
  return hash.digest("hex");
}

/** tsc errors in the given files (others' unfinished work elsewhere in the tree is not the generator's business). */
async function typeErrors(dir: string, files: string[]): Promise<string[]> {
  const result = await run(dir, bin("tsc"), ["-p", "."]);
  return result.output.split("\n").filter((line) => /error TS2307/.test(line) || files.some((file) => line.startsWith(file)));
}

interface TestRun {
  code: number;
  passed: number;
  failed: number;
  output: string;
}

/** Runs a vitest command (vitest itself, or npm test) in `dir` with a JSON report added, and counts from that report. */
async function vitestRun(dir: string, command: string, args: string[], timeout: number): Promise<TestRun> {
  const report = path.join(dir, "vitest-report.json");
  const result = await run(dir, command, [...args, "--reporter=dot", "--reporter=json", `--outputFile.json=${report}`], timeout);
  const parsed = JSON.parse(await readFile(report, "utf8").catch(() => "{}")) as { numPassedTests?: number; numFailedTests?: number };
  return {
    code: result.code,
    passed: parsed.numPassedTests ?? 0,
    failed: parsed.numFailedTests ?? -1,
    output: `exit ${result.code}\n${result.output.slice(-4000)}`,
  };
}

/** What docs/generator.md's "Add a field" adds after the suite passed: one column line; the API and the migration follow from it. */
const addedFieldTest = `import { afterAll, expect, it } from "vitest";
import { json, uniqueTag } from "../contract/target";
import { warehouseInput } from "../contract/warehouses.contract";
import { createNodeTarget } from "./app-target";

const target = createNodeTarget();
afterAll(() => target.database.close());

it("an added field round-trips through POST and GET", async () => {
  const created = await target.fetch("/api/v1/warehouses", json(await warehouseInput(target, uniqueTag(), { note: "fragile" })));
  expect(created.status, await created.clone().text()).toBe(201);
  const { id, note } = (await created.json()) as { id: string; note: string | null };
  expect(note).toBe("fragile");
  expect(((await (await target.fetch(\`/api/v1/warehouses/\${id}\`)).json()) as { note: string | null }).note).toBe("fragile");
});
`;

afterAll(async () => {
  await Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true })));
});

// The two copies are independent: run them side by side.
describe.concurrent("npm run generate", () => {
  it("adds resources with every field type and a reference that compile, lint and pass their own contract tests", async () => {
    const dir = await copyRepository("resource");
    const before = await fingerprint(dir);
    // Refusals write nothing, so they may run side by side.
    const refusals: [string[], RegExp][] = [
      [["resource", "product", "name:string"], /exists already/],
      [["resource", "users", "name:string"], /reserved/],
      [["resource", "select", "name:string"], /reserved/],
      [["resource", "gadget", "name:strnig"], /cannot parse field "name:strnig"/],
      [["resource", "gadget", "version:int"], /reserved/],
      [["resource", "gadget", "owner:ref(nothing)"], /no resource "nothing"/],
      [["resource", "inventory-adjustment-reason-with-a-much-longer-name", "name:string"], /statement names over 63 bytes/],
      [["resource", "gadget", "name:int:sort?"], /cannot parse field/],
      [["resource", "gadget", "name:text?:sort"], /only required .* can be sorted by/],
      [["resource", "gadget", "--spec", "spec.json"], /--spec names the resource/],
      [["resource", "--spec", "no-such-spec.json"], /cannot read the spec/],
    ];
    const outcomes = await Promise.all(refusals.map(([args]) => generate(dir, ...args)));
    for (const [index, refused] of outcomes.entries()) {
      expect(refused.code, refused.output).toBe(2);
      expect(refused.output).toMatch(refusals[index]?.[1] ?? /^$/);
      expect(refused.output).toContain("Nothing was written.");
    }
    const dryRun = await generate(dir, "resource", "warehouse", "name:string:unique:sort", "city:text?", "--dry-run");
    expect(dryRun.code, dryRun.output).toBe(0);
    expect(dryRun.output).toContain("create  src/modules/warehouses/warehouses.table.ts");
    expect(await fingerprint(dir)).toBe(before);

    const warehouse = await generate(dir, "resource", "warehouse", "name:string:unique:sort", "city:text?");
    expect(warehouse.code, warehouse.output).toBe(0);
    const stock = await generate(
      dir,
      "resource",
      "stock-item",
      "warehouse:ref(warehouse)",
      "sku:string:unique",
      "quantity:int:sort",
      "weight:decimal?",
      "active:bool",
      "received:timestamp?",
      "batch:uuid?",
      "code:bigint?",
      "kind:enum(raw|finished)",
    );
    expect(stock.code, stock.output).toBe(0);
    const written = [
      "src/modules/stock-items/stock-items.table.ts",
      "src/modules/stock-items/stock-items.ts",
      "src/modules/stock-items/index.ts",
      "test/contract/stock-items.contract.ts",
    ];
    for (const file of written) expect(stock.output).toContain(`create  ${file}`);
    expect(await readdir(path.join(dir, "src/modules/stock-items"))).toHaveLength(3);
    // A spec file: lengths, a default, a pattern, bounds with range filters, several sorts, declared extras.
    const supplier = await generate(dir, "resource", "--spec", "scripts/generate/specs/supplier.json");
    expect(supplier.code, supplier.output).toBe(0);
    expect(supplier.output).toContain("create  src/modules/suppliers/suppliers.ts");
    const drizzle = await readdir(path.join(dir, "drizzle"));
    expect(drizzle.filter((file) => /_(warehouses|stock_items|suppliers)\.sql$/.test(file))).toHaveLength(3);
    expect(await readFile(path.join(dir, "src/modules/index.ts"), "utf8")).toContain('.route("/stock-items", stockItemsRouter)');
    const again = await generate(dir, "resource", "warehouse", "name:string");
    expect(again.output).toMatch(/exists already/);

    const touched = [
      ...written,
      "src/modules/warehouses",
      "test/contract/warehouses.contract.ts",
      "src/modules/suppliers",
      "test/contract/suppliers.contract.ts",
      "src/modules/index.ts",
      "src/db/schema.ts",
      "test/contract/suites.ts",
    ];
    const [errors, lint, tests] = await Promise.all([
      typeErrors(dir, touched),
      run(dir, bin("biome"), ["check", ...touched]),
      vitestRun(
        dir,
        bin("vitest"),
        ["run", "--project", "node", "test/node/contract.test.ts", "-t", "^(warehouses|stock items|suppliers) \\(node\\)"],
        400_000,
      ),
    ]);
    expect(errors).toEqual([]);
    expect(lint.code, lint.output).toBe(0);
    expect(tests.failed, tests.output).toBe(0);
    expect(tests.passed, tests.output).toBeGreaterThan(150);

    // Add a field, as docs/generator.md says: one column line, npm run db:generate, and the suite still passes.
    const tableFile = path.join(dir, "src/modules/warehouses/warehouses.table.ts");
    const table = await readFile(tableFile, "utf8");
    expect(table).toContain('    city: text("city"),\n');
    await writeFile(tableFile, table.replace('    city: text("city"),\n', '    city: text("city"),\n    note: text("note"),\n'));
    const migrationsBefore = new Set(await readdir(path.join(dir, "drizzle")));
    const dbGenerate = await run(dir, "npm", ["run", "db:generate"]);
    expect(dbGenerate.code, dbGenerate.output).toBe(0);
    const added = (await readdir(path.join(dir, "drizzle"))).filter((file) => !migrationsBefore.has(file));
    expect(added).toHaveLength(1);
    expect(await readFile(path.join(dir, "drizzle", added[0] ?? ""), "utf8")).toMatch(/ALTER TABLE "warehouses" ADD COLUMN "note" text;/);
    await writeFile(path.join(dir, "test/node/added-field.test.ts"), addedFieldTest);
    const [afterErrors, afterTests] = await Promise.all([
      typeErrors(dir, ["src/modules/warehouses", "test/node/added-field.test.ts"]),
      vitestRun(
        dir,
        bin("vitest"),
        [
          "run",
          "--project",
          "node",
          "test/node/contract.test.ts",
          "test/node/added-field.test.ts",
          "-t",
          "^(warehouses \\(node\\)|an added field)",
        ],
        200_000,
      ),
    ]);
    expect(afterErrors).toEqual([]);
    expect(afterTests.failed, afterTests.output).toBe(0);
    expect(afterTests.passed, afterTests.output).toBeGreaterThan(30);
  }, 600_000);

  it("turns the repository into another service without products, whose whole npm test passes", async ({ annotate }) => {
    const dir = await copyRepository("service");
    const result = await generate(dir, "service", "acme-inventory", "--without-products");
    expect(result.code, result.output).toBe(0);
    const read = (file: string) => readFile(path.join(dir, file), "utf8");
    expect(JSON.parse(await read("package.json")).name).toBe("acme-inventory");
    expect(await read("wrangler.toml")).toMatch(/^name = "acme-inventory"$/m);
    expect(await read("wrangler.toml")).toContain('name = "acme-inventory-production"');
    expect(await read("wrangler.toml")).not.toContain("product-service");
    expect(await read("docker-compose.yml")).not.toContain("product-service");
    expect(await read("deploy/k8s/deployment.yaml")).toContain("ghcr.io/your-org/acme-inventory:");
    expect(await read("src/core/docs.ts")).toContain('title: "Acme Inventory"');
    expect((await read("README.md")).split("\n")[0]).toBe("# Acme Inventory");
    expect(await readdir(path.join(dir, "src/modules"))).not.toContain("products");
    const migrations = (await readdir(path.join(dir, "drizzle"))).filter((file) => file.endsWith(".sql")).sort();
    expect(migrations).toEqual(["0000_extensions.sql", "0001_init.sql"]);
    expect(await read("drizzle/0001_init.sql")).not.toContain("products");
    expect(JSON.parse(await read("package.json")).scripts.load).toBeUndefined();
    expect(await read("test/contract/target.ts")).not.toContain("productInput");
    const devScript = await read("scripts/dev.ts");
    expect(devScript).not.toMatch(/products?\b/);
    expect(devScript).toContain("/api/v1/users/me");
    const suites = await read("test/contract/suites.ts");
    expect(suites).toMatch(/^ {2}\{ name: "idempotency", run: idempotencyContract \},$/m);
    expect(suites).not.toMatch(/products\w*Contract|concurrency/);

    // Its whole npm test, coverage gate included: the shared suites run on users, so they stay.
    const [errors, tests] = await Promise.all([
      typeErrors(dir, [
        "src/modules/index.ts",
        "src/db/schema.ts",
        "src/core/docs.ts",
        "scripts/lib/demo-products.ts",
        "test/contract/target.ts",
        "test/contract/suites.ts",
        "test/node/contract.test.ts",
        "test/workers/contract.test.ts",
        "test/tooling/parity.test.ts",
      ]),
      vitestRun(dir, "npm", ["test", "--"], 560_000),
    ]);
    expect(errors).toEqual([]);
    expect(tests.failed, tests.output).toBe(0);
    expect(tests.code, tests.output).toBe(0);
    expect(tests.passed, tests.output).toBeGreaterThan(250);
    const coverage = JSON.parse(await read("coverage/coverage-summary.json")) as { total: { lines: { pct: number } } };
    expect(coverage.total.lines.pct).toBeGreaterThanOrEqual(95);
    await annotate(`generated service: ${tests.passed} tests passed, ${coverage.total.lines.pct} % of lines covered`, "measured");
  }, 600_000);
});
