import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "../../core/openapi";

const tags = ["Operations"];

export const health = createRoute({
  method: "get",
  path: "/health",
  security: [],
  operationId: "health",
  tags,
  summary: "Liveness: the process is up (never touches the database)",
  responses: {
    200: { description: "Alive.", content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } } },
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
    ...problemResponses("service_unavailable"),
  },
});
