import { inject } from "vitest";
import { requestBudgetContract } from "../contract/request-budget.contract";
import { openRemoteSession } from "./remote-session";
import { createWorkerTarget } from "./worker-target";

// Over HTTP the Worker sets no statement_timeout (Neon's endpoint pools connections and ignores
// startup options): the budget aborts the statement's fetch, and the endpoint cancels the query.
const budgetMs = 500;
requestBudgetContract(createWorkerTarget({ REQUEST_TIMEOUT_MS: String(budgetMs) }), budgetMs, () =>
  openRemoteSession(inject("databaseUrl")),
);
