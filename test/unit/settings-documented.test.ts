import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { settingNames } from "../../src/config";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const settings = [...settingNames].sort();

describe("every setting is documented", () => {
  it.each([
    [".env.example", "Node / Docker Compose"],
    [".dev.vars.example", "wrangler dev"],
    ["docs/configuration.md", "configuration table"],
  ])("in %s (%s)", (file) => {
    const text = read(file);
    const missing = settings.filter((key) => !new RegExp(`\\b${key}\\b`).test(text));
    expect(missing).toEqual([]);
  });
});
