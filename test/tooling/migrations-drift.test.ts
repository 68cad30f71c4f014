import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

describe("migrations", () => {
  it("match the Drizzle schema: generating from it adds nothing", async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), "drizzle-drift-"));
    try {
      await cp(path.join(root, "drizzle"), out, { recursive: true });
      const before = await readdir(out);
      const { stdout, stderr } = await run(
        path.join(root, "node_modules/.bin/drizzle-kit"),
        ["generate", "--dialect=postgresql", "--schema=./src/db/schema.ts", `--out=${path.relative(root, out)}`],
        { cwd: root, env: { ...process.env, FORCE_COLOR: "0" } },
      );
      const after = await readdir(out);
      expect(after.sort(), `drizzle-kit generated a migration: run npm run db:generate and commit it.\n${stdout}`).toEqual(before.sort());
      expect(`${stdout}${stderr}`).toMatch(/No schema changes/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
