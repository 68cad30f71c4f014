import { defineConfig } from "vitest/config";

/**
 * Docker parity on its own (test/tooling/parity.test.ts): builds the artefact the image runs, starts it as
 * its own process and runs the contract suites and the deploy checks against it over HTTP. It covers no code
 * of this process, so `npm test` (with the coverage gate) leaves it out to stay within its time; `.ci/run`
 * runs both. Same global setup as `npm test`: the run's Postgres and seeded test users.
 */
export default defineConfig({
  test: {
    name: "parity",
    environment: "node",
    globalSetup: ["./test/harness/global-setup.ts"],
    include: ["test/tooling/parity.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
