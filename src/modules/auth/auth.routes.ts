import { createRoute, z } from "@hono/zod-openapi";
import { commonProblems, problemResponses } from "../../core/openapi";

export const TokenRequestSchema = z
  .strictObject({
    grant_type: z.literal("password").optional().openapi({ description: "OAuth2 grant type; only `password` is supported." }),
    username: z
      .string()
      .min(1)
      .max(320)
      // Postgres text cannot hold NUL: the login lookup would fail with 22021 (a 500 before).
      .refine((value) => !value.includes("\u0000"), "must not contain NUL characters")
      .openapi({ description: "The user's e-mail.", example: "admin@example.com" }),
    password: z.string().min(1).max(256).openapi({ format: "password" }),
    // Swagger UI's "Authorize" dialog sends these empty for the password flow.
    scope: z.string().max(1000).optional(),
    client_id: z.string().max(200).optional(),
    client_secret: z.string().max(200).optional(),
  })
  .openapi("TokenRequest");

export const TokenResponseSchema = z
  .object({
    access_token: z.string().openapi({ description: "A signed JWT (HS256)." }),
    token_type: z.literal("bearer"),
    expires_in: z.number().int().openapi({ description: "Seconds until the token expires.", example: 3600 }),
  })
  .openapi("TokenResponse");

export const token = createRoute({
  method: "post",
  path: "/token",
  operationId: "issueToken",
  tags: ["Authentication"],
  summary: "Get an access token (OAuth2 password grant)",
  description:
    "Form-encoded `username` (e-mail) and `password`. Wrong e-mail and wrong password give the same 401. Login attempts are limited per account and per client address (429 with `Retry-After`).",
  security: [],
  request: {
    body: { required: true, content: { "application/x-www-form-urlencoded": { schema: TokenRequestSchema } } },
  },
  responses: {
    200: {
      description: "The access token.",
      headers: { "Cache-Control": { description: "`no-store`: tokens are never cached.", schema: { type: "string" } } },
      content: { "application/json": { schema: TokenResponseSchema } },
    },
    ...problemResponses("unauthorized", "rate_limited", "unsupported_media_type", "validation_failed", ...commonProblems),
  },
});
