/**
 * `npm run fuzz`: the hostile-input suite (test/contract/fuzz.contract.ts) with many more runs and
 * a random seed, printed first so that a failure can be replayed: `FUZZ_SEED=<seed> npm run fuzz`.
 * `FUZZ_RUNS` sets the runs per property on Node (default 2000); workerd gets a tenth of it.
 * Extra arguments go to vitest (e.g. `npm run fuzz -- --project node`).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const seed = process.env.FUZZ_SEED?.trim() || String(Math.floor(Math.random() * 2 ** 31));
const runs = process.env.FUZZ_RUNS?.trim() || "2000";
console.log(`fuzz: FUZZ_SEED=${seed} FUZZ_RUNS=${runs}  (replay: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run fuzz)`);

const vitest = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
const projects = process.argv.slice(2).some((arg) => arg.startsWith("--project")) ? [] : ["--project", "node", "--project", "workers"];
const result = spawnSync(process.execPath, [vitest, "run", ...projects, "fuzz.test.ts", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs },
});
if (result.error) throw result.error;
console.log(`fuzz: FUZZ_SEED=${seed} FUZZ_RUNS=${runs}: ${result.status === 0 ? "passed" : "FAILED"}`);
process.exit(result.status ?? 1);
