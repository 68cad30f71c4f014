import { describe, it } from "vitest";
import { authContract } from "./auth.contract";
import { cacheControlContract } from "./cache-control.contract";
import { concurrencyContract } from "./concurrency.contract";
import { emailIdentityContract } from "./email-identity.contract";
import { errorsContract } from "./errors.contract";
import { idempotencyContract } from "./idempotency.contract";
import { jsonBodiesContract } from "./json-bodies.contract";
import { nextLinkContract } from "./next-link.contract";
import { noOpPatchContract } from "./no-op-patch.contract";
import { operationsContract } from "./operations.contract";
import { problemTypesContract } from "./problem-types.contract";
import { productsContract } from "./products.contract";
import { productsHttpContract } from "./products-http.contract";
import { productsRevisionsContract } from "./products-revisions.contract";
import { searchUnicodeContract } from "./search-unicode.contract";
import { sessionsContract } from "./sessions.contract";
import type { ContractTarget } from "./target";
import { usersListContract } from "./users-list.contract";

export interface ContractSuite {
  /** What `CONTRACT=<name>` selects: the suite's file name without `.contract.ts`. */
  name: string;
  run: (target: ContractTarget) => void;
  /** Targets the suite does not run on, and why. */
  skipOn?: { runtimes: ContractTarget["runtime"][]; why: string };
}

/**
 * The contract suites, in the order every runner registers them: the app on Node
 * (test/node/contract.test.ts), the Worker in workerd (test/workers/contract.test.ts) and the built
 * Node server over HTTP (test/tooling/parity.test.ts). `npm run generate -- resource …` appends its
 * resource's suite here (an import and a line at the end of the list).
 */
export const contractSuites: ContractSuite[] = [
  { name: "products", run: productsContract },
  { name: "products-http", run: productsHttpContract },
  { name: "errors", run: errorsContract },
  { name: "operations", run: operationsContract },
  { name: "problem-types", run: problemTypesContract },
  { name: "auth", run: authContract },
  { name: "sessions", run: sessionsContract },
  { name: "idempotency", run: idempotencyContract },
  {
    name: "concurrency",
    run: concurrencyContract,
    skipOn: {
      runtimes: ["node-dist"],
      why: "writers racing test the app and Postgres, which the Node and Workers runs cover; the artefact's run checks packaging",
    },
  },
  { name: "users-list", run: usersListContract },
  { name: "search-unicode", run: searchUnicodeContract },
  { name: "email-identity", run: emailIdentityContract },
  { name: "cache-control", run: cacheControlContract },
  { name: "next-link", run: nextLinkContract },
  { name: "json-bodies", run: jsonBodiesContract },
  { name: "no-op-patch", run: noOpPatchContract },
  { name: "products-revisions", run: productsRevisionsContract },
];

/**
 * Registers the suites for `target`: all of them, or only those named in `only` (the `CONTRACT`
 * variable: comma-separated names, e.g. `CONTRACT=errors,auth`). A name that is no suite's fails the
 * file rather than running nothing.
 */
export function registerContractSuites(target: ContractTarget, only: string | undefined = undefined): void {
  const wanted = (only ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = wanted.filter((name) => !contractSuites.some((suite) => suite.name === name));
  if (unknown.length > 0)
    throw new Error(`CONTRACT names no suite: ${unknown.join(", ")} (known: ${contractSuites.map((suite) => suite.name).join(", ")})`);
  const suites = contractSuites.filter(
    (suite) => (wanted.length === 0 || wanted.includes(suite.name)) && !suite.skipOn?.runtimes.includes(target.runtime),
  );
  // vitest fails a file without tests: a service whose list is still empty (generated without products) keeps a note instead.
  if (suites.length === 0) describe(`contracts (${target.runtime})`, () => it.todo("no contract suite selected for this target"));
  for (const suite of suites) suite.run(target);
}
