// npm run generate -- resource <name> <field>:<type>[?][:unique][:sort] ... [--plural <name>] [--dry-run]
// npm run generate -- resource --spec <file.json> [--dry-run]
// npm run generate -- service <name> [--without-products] [--dry-run]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { migrationFiles, nextMigrationFile } from "./migration-files";
import { type FileChange, planResource, Refusal } from "./resource";
import { planService } from "./service";
import { readSpec } from "./spec";

const root = path.resolve(import.meta.dirname, "../..");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);

const usage = `usage:
  npm run generate -- resource <name> <field>:<type>[?][:unique][:sort] ... [--plural <plural>] [--dry-run]
      types: string string(n) char(n) text int bigint bool decimal timestamp uuid enum(a|b|c) ref(<resource>)
      e.g.   npm run generate -- resource warehouse name:string:unique:sort city:text?
  npm run generate -- resource --spec <file.json> [--dry-run]
      e.g.   scripts/generate/specs/product.json (docs/generator.md describes the format)
  npm run generate -- service <name> [--without-products] [--dry-run]
  npm run generate -- [resource|service] --help`;

interface Arguments {
  positional: string[];
  help: boolean;
  dryRun: boolean;
  withoutProducts: boolean;
  plural: string | undefined;
  spec: string | undefined;
}

function parseArguments(argv: string[]): Arguments {
  const result: Arguments = { positional: [], help: false, dryRun: false, withoutProducts: false, plural: undefined, spec: undefined };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? "";
    if (arg === "--help" || arg === "-h") result.help = true;
    else if (arg === "--dry-run") result.dryRun = true;
    else if (arg === "--without-products") result.withoutProducts = true;
    else if (arg === "--plural") {
      result.plural = argv[++index];
      if (result.plural === undefined) throw new Refusal("--plural needs a value.");
    } else if (arg.startsWith("--plural=")) result.plural = arg.slice("--plural=".length);
    else if (arg === "--spec") {
      result.spec = argv[++index];
      if (result.spec === undefined) throw new Refusal("--spec needs a file.");
    } else if (arg.startsWith("--spec=")) result.spec = arg.slice("--spec=".length);
    else if (arg.startsWith("--")) throw new Refusal(`unknown option ${arg}.`);
    else result.positional.push(arg);
  }
  return result;
}

/** Writes the changes; on any failure puts every touched file back as it was. */
function apply(changes: FileChange[], deletions: string[], after: () => void): void {
  const originals = new Map<string, string | undefined>();
  const remember = (file: string) => {
    const full = path.join(root, file);
    if (!originals.has(file)) originals.set(file, existsSync(full) ? readFileSync(full, "utf8") : undefined);
  };
  const drizzleBefore = new Set(readdirSync(path.join(root, "drizzle")));
  try {
    for (const change of changes) {
      remember(change.path);
      const full = path.join(root, change.path);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, change.content);
    }
    for (const file of deletions) {
      for (const inner of filesUnder(file)) remember(inner);
      rmSync(path.join(root, file), { recursive: true, force: true });
    }
    after();
  } catch (error) {
    for (const [file, content] of originals) {
      const full = path.join(root, file);
      if (content === undefined) rmSync(full, { force: true });
      else {
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    for (const file of readdirSync(path.join(root, "drizzle"))) if (!drizzleBefore.has(file)) rmSync(path.join(root, "drizzle", file));
    throw error;
  }
}

/** The files at or below a repository path (the path itself when it is a file). */
function filesUnder(file: string): string[] {
  const full = path.join(root, file);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [file];
  return readdirSync(full).flatMap((entry) => filesUnder(path.join(file, entry)));
}

function run(command: string, args: string[]): void {
  execFileSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, FORCE_COLOR: "0" } });
}

function listPlan(changes: FileChange[], deletions: string[], extra: string[]): void {
  for (const change of changes) console.log(`${change.existed ? "change" : "create"}  ${change.path}`);
  for (const file of deletions) console.log(`delete  ${file}`);
  for (const line of extra) console.log(line);
}

function main(argv: string[]): void {
  const args = parseArguments(argv);
  if (args.help) {
    // Asked for, not a mistake: usage on stdout and exit 0, whatever else is on the line.
    console.log(usage);
    return;
  }
  const [command, name, ...rest] = args.positional;
  if (command === "resource") {
    if (args.spec !== undefined && (name !== undefined || args.plural !== undefined))
      throw new Refusal("--spec names the resource and its fields: give no name, fields or --plural with it.");
    if (!name && args.spec === undefined) throw new Refusal("resource needs a name.");
    // A relative spec path is relative to where npm was run from, not to the repository root.
    const spec =
      args.spec === undefined
        ? { name: name ?? "", plural: args.plural, fieldSpecs: rest }
        : readSpec(path.resolve(process.env.INIT_CWD ?? process.cwd(), args.spec));
    const { resource, changes } = planResource({ root, spec });
    if (args.dryRun) {
      listPlan(changes, [], [`create  ${nextMigrationFile(root, resource.names.snakePlural)} (drizzle-kit generate)`]);
      return;
    }
    const migrationsBefore = new Set(migrationFiles(root));
    apply(changes, [], () => {
      run(bin("biome"), ["check", "--write", "--no-errors-on-unmatched", ...changes.map((change) => change.path)]);
      run(bin("drizzle-kit"), ["generate", `--name=${resource.names.snakePlural}`]);
    });
    const written = migrationFiles(root).filter((file) => !migrationsBefore.has(file));
    listPlan(
      changes,
      [],
      written.length > 0 ? written.map((file) => `create  ${file}`) : ["no migration: drizzle-kit found no schema change"],
    );
    console.log(
      `\n${resource.names.kebabPlural}: /api/v1/${resource.names.kebabPlural} is ready. Run npm run db:migrate (or npm run dev) and npm test.`,
    );
    return;
  }
  if (command === "service") {
    if (!name || rest.length > 0) throw new Refusal("service needs exactly one name, e.g. service acme-inventory.");
    const plan = planService({ root, name, withoutProducts: args.withoutProducts });
    const extra = args.withoutProducts
      ? ["create  drizzle/0001_init.sql (migrations after 0000_extensions regenerated by drizzle-kit)"]
      : [];
    if (args.dryRun) {
      listPlan(plan.changes, plan.deletions, extra);
      return;
    }
    apply(plan.changes, plan.deletions, () => {
      run(bin("biome"), [
        "check",
        "--write",
        "--no-errors-on-unmatched",
        ...plan.changes.filter((change) => /\.(ts|json)$/.test(change.path)).map((change) => change.path),
      ]);
      if (args.withoutProducts) run(bin("drizzle-kit"), ["generate", "--name=init"]);
    });
    listPlan(plan.changes, plan.deletions, extra);
    if (args.withoutProducts)
      console.log(
        "\nRemoved with products: their contract, concurrency, fuzz, fault and round-trip tests, the dev demo-data test and npm run load." +
          "\nThe shared suites (errors, auth, idempotency, outages, budgets, logs, metrics) run on users and keep npm test green." +
          "\nAdd your first resource with npm run generate -- resource …",
      );
    return;
  }
  throw new Refusal(command === undefined ? "what should be generated?" : `unknown command "${command}".`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (error instanceof Refusal) {
    console.error(`generate: ${error.message} Nothing was written.\n\n${usage}`);
    process.exit(2);
  }
  throw error;
}
