import { afterAll } from "vitest";
import { passwordRulesContract } from "../contract/password-rules.contract";
import { createNodeTarget } from "./app-target";

const target = createNodeTarget();
afterAll(() => target.database.close());

passwordRulesContract(target);
