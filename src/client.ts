import { hc } from "hono/client";
import type { AppType } from "./app";

/** Typed client for the service: a change to a route's shape breaks its callers at compile time. */
export const createClient = (baseUrl: string, options?: Parameters<typeof hc>[1]) => hc<AppType>(baseUrl, options);

export type Client = ReturnType<typeof createClient>;
