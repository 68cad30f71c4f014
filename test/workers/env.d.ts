// Bindings the vitest integration gives the test Worker (see vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    ENVIRONMENT: string;
    LOG_LEVEL: string;
    /** The fuzz suite's seed and runs (`npm run fuzz`); empty in `npm test`. */
    FUZZ_SEED: string;
    FUZZ_RUNS: string;
    /** Contract suites to run alone (`CONTRACT=errors,auth`, test/contract/suites.ts); empty: all. */
    CONTRACT: string;
  }
}
