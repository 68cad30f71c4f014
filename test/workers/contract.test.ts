import { authContract } from "../contract/auth.contract";
import { concurrencyContract } from "../contract/concurrency.contract";
import { errorsContract } from "../contract/errors.contract";
import { idempotencyContract } from "../contract/idempotency.contract";
import { operationsContract } from "../contract/operations.contract";
import { productsContract } from "../contract/products.contract";
import { createWorkerTarget } from "./worker-target";

const target = createWorkerTarget();

productsContract(target);
errorsContract(target);
operationsContract(target);
authContract(target);
idempotencyContract(target);
concurrencyContract(target);
