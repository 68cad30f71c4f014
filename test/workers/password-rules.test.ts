import { passwordRulesContract } from "../contract/password-rules.contract";
import { createWorkerTarget } from "./worker-target";

passwordRulesContract(createWorkerTarget());
