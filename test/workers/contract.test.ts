import { env } from "cloudflare:test";
import { registerContractSuites } from "../contract/suites";
import { createWorkerTarget } from "./worker-target";

// CONTRACT reaches workerd as a binding (vitest.config.ts): the test Worker has no process.env of the host.
registerContractSuites(createWorkerTarget(), env.CONTRACT);
