import { env } from "cloudflare:test";
import { fuzzContract, fuzzSettings } from "../contract/fuzz.contract";
import { createWorkerTarget } from "./worker-target";

// The shared test database, so no fingerprint here: the status and problem+json properties only.
// A tenth of Node's runs (20 by default): each run goes through workerd and the local `/sql` endpoint.
const { seed, runs } = fuzzSettings({ FUZZ_SEED: env.FUZZ_SEED, FUZZ_RUNS: env.FUZZ_RUNS }, 200);

fuzzContract(createWorkerTarget(), { seed, runs: Math.max(1, Math.round(runs / 10)) });
