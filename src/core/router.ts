import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./context";
import { validationHook } from "./validation";

/** A module's router: OpenAPI routes whose failed validation becomes the contract's 422 problem. */
export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
