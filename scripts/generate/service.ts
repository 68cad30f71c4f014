// `generate service <name> [--without-products]`: renames the repository into a new service.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { toSnake } from "./model";
import { type FileChange, Refusal } from "./resource";

export interface ServicePlan {
  changes: FileChange[];
  deletions: string[];
}

const OLD = { kebab: "product-service", snake: "product_service", title: "Product Service" };

/**
 * Tests that exercise the products module: they go with it. The suites of shared machinery run on
 * users (which stay) and on `/api/v1/ping`; unit tests only mention paths as text and stay.
 */
const USES_PRODUCTS =
  /\/api\/v1\/products|productInput|productsContract|modules\/products|demo-products|listProducts|createProduct|ProductSchema|products\.table/;
/** The contract suites' list: it keeps the other suites and loses the removed ones' imports and entries. */
const SUITES = "test/contract/suites.ts";
/** The runners iterate the list (an empty one too), so they stay as they are. */
const RUNNERS = ["test/node/contract.test.ts", "test/workers/contract.test.ts", "test/tooling/parity.test.ts"];
const KEEP_TESTS = new Set(["test/contract/target.ts", SUITES, ...RUNNERS]);
/** `npm run load` drives and verifies a products workload: without products it has nothing to do. */
/**
 * Hand-written migrations every service needs although no table declares them (a new service's
 * tables come from one fresh `db:generate`): their SQL moves into the first migration.
 */
const MIGRATIONS_TO_KEEP = ["drizzle/0007_require_role.sql"];

const LOAD_FILES = ["scripts/load.ts", "scripts/lib/load-workload.ts", "test/tooling/load.test.ts"];
/** Products' spec and the test that regenerates products from it. */
const PRODUCT_SPEC_FILES = ["scripts/generate/specs/product.json", "test/unit/generator-products.test.ts"];

function filesBelow(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full).flatMap((entry) => {
    const relative = `${dir}/${entry}`;
    return statSync(path.join(root, relative)).isDirectory() ? filesBelow(root, relative) : [relative];
  });
}

export function planService({ root, name, withoutProducts }: { root: string; name: string; withoutProducts: boolean }): ServicePlan {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name) || name.length > 54)
    throw new Refusal(`service name "${name}" must be lower-case words separated by "-", at most 54 characters (e.g. acme-inventory).`);
  const snake = toSnake(name.replace(/-/g, "_"));
  const title = name
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
  const changes = new Map<string, string>();
  const read = (file: string) => changes.get(file) ?? readFileSync(path.join(root, file), "utf8");
  const edit = (file: string, transform: (text: string) => string) => {
    if (!existsSync(path.join(root, file))) return;
    const before = read(file);
    const after = transform(before);
    if (after !== before) changes.set(file, after);
  };
  const everywhere = (text: string) => text.replaceAll(OLD.kebab, name).replaceAll(OLD.snake, snake);

  edit("package.json", (text) => text.replace(`"name": "${OLD.kebab}"`, `"name": "${name}"`));
  edit("package-lock.json", (text) =>
    text.replace(`"name": "${OLD.kebab}"`, `"name": "${name}"`).replace(`"name": "${OLD.kebab}"`, `"name": "${name}"`),
  );
  edit("wrangler.toml", everywhere);
  edit("docker-compose.yml", everywhere);
  edit("Dockerfile", (text) => text.replaceAll(OLD.kebab, name));
  for (const file of [...filesBelow(root, "deploy/k8s"), ...filesBelow(root, ".github/workflows")]) {
    if (/\.ya?ml$/.test(file)) edit(file, (text) => text.replaceAll(OLD.kebab, name));
  }
  edit("src/core/docs.ts", (text) => text.replaceAll(OLD.title, title));
  // The JWT issuer/audience defaults stay: tokens already issued and external IdP settings depend on them.
  edit("README.md", (text) =>
    text
      .replace(/^# .*$/m, `# ${title}`)
      .split("\n")
      .map((line) => (line.includes("JWT_") ? line : everywhere(line)))
      .join("\n"),
  );

  const deletions: string[] = [];
  if (withoutProducts) {
    if (!existsSync(path.join(root, "src/modules/products"))) throw new Refusal("there is no products module to remove.");
    deletions.push("src/modules/products");
    const kept = MIGRATIONS_TO_KEEP.map((file) => read(file).trim()).join("\n--> statement-breakpoint\n");
    edit("drizzle/0000_extensions.sql", (text) => `${text.trimEnd()}\n--> statement-breakpoint\n${kept}\n`);
    for (const file of readdirSync(path.join(root, "drizzle")))
      if (/^\d{4}_/.test(file) && !file.startsWith("0000_")) deletions.push(`drizzle/${file}`);
    for (const file of readdirSync(path.join(root, "drizzle/meta")))
      if (/^\d{4}_snapshot\.json$/.test(file) && !file.startsWith("0000_")) deletions.push(`drizzle/meta/${file}`);
    edit("drizzle/meta/_journal.json", (text) => {
      const journal = JSON.parse(text) as { entries: { idx: number }[] };
      journal.entries = journal.entries.filter((entry) => entry.idx === 0);
      return `${JSON.stringify(journal, null, 2)}\n`;
    });
    removeTests(root, deletions, edit);
    edit("test/contract/target.ts", (text) => text.replace(/\nexport function productInput\([\s\S]*?\n\}\n/, ""));
    for (const file of [...LOAD_FILES, ...PRODUCT_SPEC_FILES]) if (existsSync(path.join(root, file))) deletions.push(file);
    edit("package.json", (text) => text.replace(/^ *"load": "tsx scripts\/load\.ts",\n/m, ""));
    edit("src/db/schema.ts", (text) => text.replace(/^export \* from "\.\.\/modules\/products\/products\.table";\n/m, ""));
    edit("src/modules/index.ts", (text) =>
      text.replace(/^import \{ productsRouter \} from "\.\/products";\n/m, "").replace(/\s*\.route\("\/products", productsRouter\)/, ""),
    );
    // The dev script's summary and first curl named products; the demo seeder below adds none.
    edit("scripts/dev.ts", (text) =>
      text.replace("new demo product(s)", "new demo row(s)").replace("/api/v1/products\\n", "/api/v1/users/me\\n"),
    );
    edit("src/core/docs.ts", (text) =>
      text
        .replace(/^\s*\{ name: "Products", description: "[^"]*" \},\n/m, "")
        .replace('description: "Products API.', `description: "${title} API.`),
    );
    changes.set(
      "scripts/lib/demo-products.ts",
      `/** Demo rows for \`npm run dev\` and \`npm run db:seed -- --demo\`: add your service's own here. Returns how many were added. */
export async function seedDemoProducts(_url: string): Promise<number> {
  return 0;
}
`,
    );
  }
  if (changes.has("src/modules/index.ts") && /productsRouter/.test(read("src/modules/index.ts")))
    throw new Refusal("cannot remove productsRouter from src/modules/index.ts; remove it by hand.");
  return {
    changes: [...changes].map(([file, content]) => ({ path: file, content, existed: true })),
    deletions: deletions.filter((file, index) => deletions.indexOf(file) === index),
  };
}

/**
 * Tests of the products module go with it, and so does every test importing a removed helper,
 * and every harness helper only those tests used; the runners lose the removed contracts'
 * imports and calls instead.
 */
function removeTests(root: string, deletions: string[], edit: (file: string, transform: (text: string) => string) => void): void {
  const testFiles = ["test/contract", "test/node", "test/workers", "test/tooling"]
    .flatMap((dir) => filesBelow(root, dir))
    .filter((file) => file.endsWith(".ts"));
  const harness = filesBelow(root, "test/harness").filter((file) => file.endsWith(".ts"));
  const text = (file: string) => readFileSync(path.join(root, file), "utf8");
  const gone = new Set(testFiles.filter((file) => !KEEP_TESTS.has(file) && USES_PRODUCTS.test(text(file))));
  const importsOf = (file: string) =>
    [...text(file).matchAll(/from "(\.{1,2}\/[^"]+)"/g)].map((match) => `${path.posix.join(path.posix.dirname(file), match[1] ?? "")}.ts`);
  for (let changed = true; changed; ) {
    changed = false;
    for (const file of testFiles) {
      if (gone.has(file) || KEEP_TESTS.has(file) || !importsOf(file).some((imported) => gone.has(imported))) continue;
      gone.add(file);
      changed = true;
    }
  }
  const kept = [...testFiles, ...harness].filter((file) => !gone.has(file));
  for (const helper of harness) {
    const usedByGone = [...gone].some((file) => importsOf(file).includes(helper));
    if (usedByGone && !kept.some((file) => file !== helper && importsOf(file).includes(helper))) gone.add(helper);
  }
  deletions.push(...gone);
  edit(SUITES, (source) => {
    let result = source;
    for (const file of gone) {
      if (!file.startsWith("test/contract/")) continue;
      const module = `./${path.posix.basename(file, ".ts")}`.replaceAll(".", "\\.");
      const imported = new RegExp(`^import \\{ ([\\w, ]+) \\} from "${module}";\\n`, "m").exec(result);
      if (!imported) continue;
      result = result.replace(imported[0], "");
      for (const name of (imported[1] ?? "").split(",").map((item) => item.trim())) result = withoutEntry(result, name);
    }
    return result;
  });
}

/** The list without the entry that runs `suite`: one line (`  { name: …, run: x },`) or several (`  {` … `  },`). */
function withoutEntry(source: string, suite: string): string {
  const lines = source.split("\n");
  const at = lines.findIndex((line) => new RegExp(`\\brun: ${suite}\\b`).test(line));
  if (at < 0) return source;
  let start = at;
  while (start > 0 && !/^ {2}\{/.test(lines[start] ?? "")) start--;
  let end = start;
  if (!/\},?$/.test(lines[start] ?? "")) while (end < lines.length - 1 && !/^ {2}\},?$/.test(lines[end] ?? "")) end++;
  lines.splice(start, end - start + 1);
  return lines.join("\n");
}
