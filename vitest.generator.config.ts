import { defineConfig } from "vitest/config";

/**
 * The generator's end-to-end test on its own: it copies the repository, generates into the copies
 * and runs their own checks and suites (each with its own Postgres), so it needs no global setup
 * and covers no code of this process. `npm test` leaves it out to stay fast; `.ci/run` runs both.
 */
export default defineConfig({
  test: {
    name: "generator",
    environment: "node",
    include: ["test/tooling/generator.test.ts"],
    testTimeout: 600_000,
  },
});
