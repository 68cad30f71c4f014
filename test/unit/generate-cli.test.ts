import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrationFiles, nextMigrationFile } from "../../scripts/generate/migration-files";

const root = path.resolve(import.meta.dirname, "../..");

/** Runs `npm run generate -- <args>` the way npm does (tsx), without npm's own output. */
function generate(...args: string[]) {
  return spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/generate/index.ts", ...args], { cwd: root, encoding: "utf8" });
}

describe("npm run generate -- … --help", () => {
  for (const args of [["--help"], ["resource", "--help"], ["service", "--help"], ["resource", "-h"]]) {
    it(`${args.join(" ")}: usage on stdout, exit 0, nothing written`, () => {
      const result = generate(...args);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^usage:\n {2}npm run generate -- resource /);
      expect(result.stderr).not.toContain("Nothing was written");
    });
  }

  it("a mistake still gets usage on stderr and exit 2", () => {
    const result = generate("resource");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("generate: resource needs a name. Nothing was written.");
    expect(result.stderr).toContain("usage:");
  });
});

describe("migration file names in the generator's summary", () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "generate-migrations-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const journal = (entries: { idx: number; tag: string }[]) => {
    mkdirSync(path.join(scratch, "drizzle/meta"), { recursive: true });
    writeFileSync(path.join(scratch, "drizzle/meta/_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }));
  };

  it("names the journal's migrations, and the next one as drizzle-kit numbers it", () => {
    journal([
      { idx: 0, tag: "0000_extensions" },
      { idx: 9, tag: "0009_unicode_folded_search" },
    ]);
    expect(migrationFiles(scratch)).toEqual(["drizzle/0000_extensions.sql", "drizzle/0009_unicode_folded_search.sql"]);
    expect(nextMigrationFile(scratch, "warehouses")).toBe("drizzle/0010_warehouses.sql");
  });

  it("starts at 0000 without a journal", () => {
    rmSync(path.join(scratch, "drizzle"), { recursive: true, force: true });
    expect(migrationFiles(scratch)).toEqual([]);
    expect(nextMigrationFile(scratch, "init")).toBe("drizzle/0000_init.sql");
  });

  it("the dry run of this repository names the real next file, not a placeholder", () => {
    const result = generate("resource", "gizmo", "name:string", "--dry-run");
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`create  ${nextMigrationFile(root, "gizmos")} (drizzle-kit generate)`);
    expect(result.stdout).not.toContain("NNNN");
  });
});
