import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/harness/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
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
              // FUZZ_SEED / FUZZ_RUNS reach the fuzz suite in workerd this way (it has no process.env of the host).
              bindings: {
                ENVIRONMENT: "test",
                LOG_LEVEL: "silent",
                FUZZ_SEED: process.env.FUZZ_SEED ?? "",
                FUZZ_RUNS: process.env.FUZZ_RUNS ?? "",
              },
            },
          }),
        ],
        test: { name: "workers", include: ["test/workers/**/*.test.ts"] },
      },
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: ["test/node/**/*.test.ts", "test/unit/**/*.test.ts", "test/tooling/**/*.test.ts"],
          // Minutes of nested installs and test runs: `npm run test:generator` (vitest.generator.config.ts), which .ci/run calls.
          exclude: ["test/tooling/generator.test.ts"],
        },
      },
    ],
  },
});
