import { afterAll } from "vitest";
import { registerContractSuites } from "../contract/suites";
import { createNodeTarget } from "./app-target";

const target = createNodeTarget();
afterAll(() => target.database.close());

registerContractSuites(target, process.env.CONTRACT);
