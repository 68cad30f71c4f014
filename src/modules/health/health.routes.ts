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
  summary: "Readiness: the database answers `SELECT 1` within a bounded time",
  responses: {
    200: {
      description: "Ready to serve.",
      content: {
        "application/json": {
          schema: z.object({
            status: z.literal("ok"),
            checks: z.object({ database: z.literal("ok") }),
            version: z.string(),
            commit: z.string(),
          }),
        },
      },
    },
    ...problemResponses("service_unavailable"),
  },
});
