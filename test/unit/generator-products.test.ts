// Products is what the generator makes of scripts/generate/specs/product.json: regenerated in memory and
// formatted as `npm run generate` formats it, each file must equal the module's, byte for byte.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { moduleFiles } from "../../scripts/generate/module-files";
import { resolveResource } from "../../scripts/generate/resolve";
import { readSpec } from "../../scripts/generate/spec";

const root = path.resolve(import.meta.dirname, "../..");

/** Biome's fixes and formatting of `content` as if it were the file at `file` (what the generator runs on what it writes). */
const formatted = (file: string, content: string) =>
  execFileSync(path.join(root, "node_modules/.bin/biome"), ["check", "--write", `--stdin-file-path=${file}`], {
    cwd: root,
    input: content,
    encoding: "utf8",
  });

describe("the generator reproduces products from its spec", () => {
  const resource = resolveResource(root, readSpec(path.join(root, "scripts/generate/specs/product.json")));
  const files = moduleFiles(resource);

  it("writes the module's three files and nothing else", () => {
    expect(files.map((file) => file.path)).toEqual([
      "src/modules/products/products.table.ts",
      "src/modules/products/products.ts",
      "src/modules/products/index.ts",
    ]);
  });

  for (const file of files) {
    it(`${file.path} equals its generated text (edit the spec and regenerate rather than the file)`, () => {
      expect(formatted(file.path, file.content)).toBe(readFileSync(path.join(root, file.path), "utf8"));
    });
  }
});
