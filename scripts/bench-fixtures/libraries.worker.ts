// Start-up reference for `npm run bench`: a Worker that loads every library the service's
// Worker is built on (the Neon driver, Drizzle, Hono with zod-openapi, jose) and builds
// nothing with them: the share of start-up that is the stack's, not this service's.
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import { jwtVerify } from "jose";

export default {
  fetch: () => new Response(`${typeof OpenAPIHono} ${typeof z.object} ${typeof Pool} ${typeof drizzle} ${typeof jwtVerify}`),
};
