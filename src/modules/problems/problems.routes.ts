import { createRoute, z } from "@hono/zod-openapi";
import { operationalProblemResponses, operationalSuccessHeaders, transportProblems } from "../../core/openapi";
import { problemCodes } from "../../core/problem-types";

const tags = ["Problems"];

/** Public and shared: the descriptions change only with a deploy, and say nothing about any caller. */
export const PROBLEM_TYPES_CACHE_CONTROL = "public, max-age=86400";

const successHeaders = {
  ...operationalSuccessHeaders,
  "Cache-Control": {
    description: "`public, max-age=86400`: the same for everyone, and it changes only with a deploy.",
    required: true,
    schema: { type: "string" as const, enum: [PROBLEM_TYPES_CACHE_CONTROL] },
  },
};

export const ProblemTypeSchema = z
  .object({
    type: z.string().openapi({
      description: "The URI a problem's `type` carries: this document's own address.",
      example: "https://api.example.com/problems/validation_failed",
    }),
    code: z.enum(problemCodes).openapi({ description: "The problem's machine `code`.", example: "validation_failed" }),
    title: z.string().openapi({ example: "Validation failed" }),
    status: z.number().int().openapi({ description: "The HTTP status it comes with.", example: 422 }),
    description: z.string().openapi({
      description: "When it happens, and what to do about it.",
      example: "A parameter or field is invalid; `errors` lists each one.",
    }),
  })
  .openapi("ProblemType", { description: "What a problem `type` means." });

export const get = createRoute({
  method: "get",
  path: "/{code}",
  security: [],
  operationId: "getProblemType",
  tags,
  summary: "What one problem `type` means: where a problem's `type` URI leads",
  request: {
    params: z.object({
      // Any string: an unknown code is a 404, as for any other resource that does not exist.
      code: z.string().openapi({ param: { description: "A problem `code`." }, example: "validation_failed" }),
    }),
  },
  responses: {
    200: { description: "The problem type.", headers: successHeaders, content: { "application/json": { schema: ProblemTypeSchema } } },
    ...operationalProblemResponses(...transportProblems, "not_found", "internal_error"),
  },
});

export const list = createRoute({
  method: "get",
  path: "/",
  security: [],
  operationId: "listProblemTypes",
  tags,
  summary: "Every problem `type` the API answers with",
  responses: {
    200: {
      description: "Every problem type, by status.",
      headers: successHeaders,
      content: { "application/json": { schema: z.object({ data: z.array(ProblemTypeSchema) }) } },
    },
    ...operationalProblemResponses(...transportProblems, "internal_error"),
  },
});
