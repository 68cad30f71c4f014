import { rateLimitContract } from "../contract/rate-limit.contract";
import { createWorkerTarget } from "./worker-target";

// The Workers rate-limiting bindings from wrangler.toml (5 per account, 20 per address, per minute).
rateLimitContract(createWorkerTarget(), { perAccount: 5, perAddress: 20, label: "rate-limiting binding" });

// Without the bindings the Worker falls back to its in-isolate limiter and the LOGIN_ATTEMPTS_* settings.
rateLimitContract(
  createWorkerTarget({
    LOGIN_ACCOUNT_LIMITER: undefined,
    LOGIN_ADDRESS_LIMITER: undefined,
    LOGIN_ATTEMPTS_PER_ACCOUNT: "2",
    LOGIN_ATTEMPTS_PER_ADDRESS: "3",
  }),
  { perAccount: 2, perAddress: 3, label: "in-isolate fallback" },
);
