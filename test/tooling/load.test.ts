import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

describe("npm run load", () => {
  it("drives a short mixed workload and finds the database exactly as acknowledged", { timeout: 60_000 }, async () => {
    // DATABASE_URL: the run's server, on which the script makes (and drops) a throwaway database of its own.
    const { stdout } = await run(path.join(root, "node_modules/.bin/tsx"), ["scripts/load.ts", "--duration", "2", "--concurrency", "8"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: inject("adminDatabaseUrl") },
      timeout: 50_000,
    });
    for (const kind of ["get", "list", "create", "patch", "delete", "all"]) expect(stdout).toMatch(new RegExp(`^${kind} +\\d+ `, "m"));
    expect(stdout).toMatch(/acknowledged: [1-9]\d* creates, [1-9]\d* patches, \d+ deletes/);
    expect(stdout).toMatch(/^mismatches: 0$/m);
  });
});
