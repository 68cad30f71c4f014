import { authContract } from "../contract/auth.contract";
import { concurrencyContract } from "../contract/concurrency.contract";
import { emailIdentityContract } from "../contract/email-identity.contract";
import { errorsContract } from "../contract/errors.contract";
import { idempotencyContract } from "../contract/idempotency.contract";
import { operationsContract } from "../contract/operations.contract";
import { productsContract } from "../contract/products.contract";
import { productsHttpContract } from "../contract/products-http.contract";
import { searchUnicodeContract } from "../contract/search-unicode.contract";
import { sessionsContract } from "../contract/sessions.contract";
import { usersListContract } from "../contract/users-list.contract";
import { createWorkerTarget } from "./worker-target";

const target = createWorkerTarget();

productsContract(target);
productsHttpContract(target);
errorsContract(target);
operationsContract(target);
authContract(target);
sessionsContract(target);
idempotencyContract(target);
concurrencyContract(target);
usersListContract(target);
searchUnicodeContract(target);
emailIdentityContract(target);
