import { createRouter } from "../core/router";
import { productsRouter } from "./products";
import { usersRouter } from "./users";

/**
 * The resource modules, mounted under `/api/v1` in this order: a new resource is one import and one
 * `.route(…)` line here (`npm run generate -- resource` appends them). A chain rather than a loop over
 * a list, so the typed client (src/client.ts) still knows every route.
 */
export const resourceRouters = () => createRouter().route("/users", usersRouter).route("/products", productsRouter);
