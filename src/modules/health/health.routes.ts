import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../core/auth/middleware";
import {
  apiSuccessHeaders,
  authProblems,
  bearerSecurity,
  commonProblems,
  operationalProblemResponses,
  operationalSuccessHeaders,
  problemResponses,
  transportProblems,
} from "../../core/openapi";

const tags = ["Operations"];

export const health = createRoute({
  method: "get",
  path: "/health",
  security: [],
  operationId: "health",
  tags,
  summary: "Liveness: the process is up (never touches the database)",
  description: "A Worker deployed without a valid configuration answers 503 here, as everywhere, naming the variable to fix.",
  responses: {
    200: {
      description: "Alive.",
      headers: operationalSuccessHeaders,
      content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } },
    },
    ...operationalProblemResponses(...transportProblems, "service_unavailable"),
  },
});

export const ready = createRoute({
  method: "get",
  path: "/ready",
  security: [],
  operationId: "ready",
  tags,
  summary: "Readiness: the database answers within `READY_TIMEOUT_MS` and the newest migration is applied",
  description:
    "One statement checks both. 503 `service_unavailable` names the failing check in `checks`: `database` is `unreachable`, " +
    "`timeout` or `not_configured`; or `database` is `ok` and `migrations` is `pending` (run `npm run db:migrate`).",
  responses: {
    200: {
      description: "Ready to serve.",
      headers: operationalSuccessHeaders,
      content: {
        "application/json": {
          schema: z.object({
            status: z.literal("ok"),
            checks: z.object({ database: z.literal("ok"), migrations: z.literal("ok") }),
            version: z.string().openapi({ description: "BUILD_VERSION of this build.", example: "1.4.0" }),
            commit: z.string().openapi({ description: "BUILD_COMMIT of this build.", example: "2989962" }),
          }),
        },
      },
    },
    ...operationalProblemResponses(...transportProblems, "internal_error", "service_unavailable"),
  },
});

export const ping = createRoute({
  security: bearerSecurity,
  middleware: requireRole("viewer"),
  method: "get",
  path: "/",
  operationId: "ping",
  tags,
  summary: "Authenticated round trip: checks the token and runs one `SELECT 1` on the service's database pool",
  description:
    "The cheapest request that crosses everything an API call does (token, middleware, one pooled statement) and nothing else: " +
    "for clients and synthetic monitors that want to check their credentials and the path to the database, and the floor " +
    "`npm run bench` compares every endpoint with. Any role may call it; it reads no data.",
  responses: {
    200: {
      description: "Token valid, database answered.",
      headers: apiSuccessHeaders,
      content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } },
    },
    ...problemResponses(...authProblems, ...commonProblems),
  },
});
