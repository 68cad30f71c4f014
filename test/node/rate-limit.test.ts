import { afterAll } from "vitest";
import { rateLimitContract } from "../contract/rate-limit.contract";
import { createNodeTarget } from "./app-target";

// The Node runtime's bounded in-memory limiter, with small limits so the test stays short.
const target = createNodeTarget({ LOGIN_ATTEMPTS_PER_ACCOUNT: "3", LOGIN_ATTEMPTS_PER_ADDRESS: "4" });
afterAll(() => target.database.close());

rateLimitContract(target, { perAccount: 3, perAddress: 4, label: "in-memory limiter" });
