import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The order files start in (most of a file's time is waiting on Postgres, workerd or child processes, so
 * three run at once on 2 cores). A worker (a workerd, or a Node process with the app loaded) is kept for
 * the next file only when that file is of the same project, and a workerd takes seconds to start: so the
 * two slowest Workers files start first, each in a workerd of its own, next to the slowest Node files,
 * and the other Workers files come when those two workerds are about to be free, to run in them; then the
 * Node files, slowest first, so that no long file starts last and runs alone.
 * (Here rather than in a module of its own: what this file imports is part of the key of vitest's module cache.)
 */
const startOrder = [
  "test/workers/contract.test.ts",
  "test/workers/rate-limit.test.ts",
  "test/node/faults.test.ts",
  "test/unit/generate-cli.test.ts",
  "test/workers/faults.test.ts",
  "test/workers/fuzz.test.ts",
  "test/workers/", // the rest of the Workers files
  "test/node/fuzz.test.ts",
  "test/tooling/dev-script.test.ts",
  "test/node/contract.test.ts",
  "test/tooling/load.test.ts",
  "test/node/server.test.ts",
  "test/tooling/seed.test.ts",
  "test/node/rate-limit.test.ts",
  "test/node/database-outage.test.ts",
];

const rank = (spec: TestSpecification) => {
  const index = startOrder.findIndex((file) => (file.endsWith("/") ? spec.moduleId.includes(`/${file}`) : spec.moduleId.endsWith(file)));
  return index === -1 ? startOrder.length : index;
};

/** Vitest's own order (failed first, then by past duration) within each place of `startOrder`. */
class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.index - b.index)
      .map(({ spec }) => spec);
  }
}

export default defineConfig({
  test: {
    globalSetup: ["./test/harness/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Most test time is spent waiting (Postgres, workerd, child processes), so more files than cores run at
    // once; vitest's default on 2 cores is one at a time. Slow files start first, in both projects.
    maxWorkers: 3,
    sequence: { sequencer: SlowestFirstSequencer },
    coverage: {
      // istanbul is the provider the Workers integration supports; it also covers the Node project.
      provider: "istanbul",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "json-summary", "html"],
      thresholds: { lines: 95 },
    },
    projects: [
      {
        extends: true,
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // FUZZ_SEED / FUZZ_RUNS / CONTRACT reach the suites in workerd this way (it has no process.env of the host).
              bindings: {
                ENVIRONMENT: "test",
                LOG_LEVEL: "silent",
                FUZZ_SEED: process.env.FUZZ_SEED ?? "",
                FUZZ_RUNS: process.env.FUZZ_RUNS ?? "",
                CONTRACT: process.env.CONTRACT ?? "",
              },
            },
          }),
        ],
        // One workerd per worker for all its files instead of one per file (about 3 s each).
        test: { name: "workers", include: ["test/workers/**/*.test.ts"], isolate: false },
      },
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          // Modules load once per worker, not once per file (the suites keep no module state between files:
          // fake timers and the password-hashing cap are restored by the tests that change them).
          isolate: false,
          include: ["test/node/**/*.test.ts", "test/unit/**/*.test.ts", "test/tooling/**/*.test.ts"],
          // Run by their own scripts, which .ci/run calls: minutes of nested installs and test runs (`npm run test:generator`,
          // vitest.generator.config.ts) and the built artefact as its own process (`npm run test:parity`, vitest.parity.config.ts).
          exclude: ["test/tooling/generator.test.ts", "test/tooling/parity.test.ts"],
        },
      },
    ],
  },
});
