import { createRoute, z } from "@hono/zod-openapi";
import { bodyProblems, commonProblems, NO_NUL_PATTERN, problemResponses, tokenAnswerHeaders } from "../../core/openapi";

const tags = ["Authentication"];

export const TokenRequestSchema = z
  .strictObject({
    grant_type: z
      .enum(["password", "refresh_token"])
      .optional()
      .openapi({ description: "OAuth2 grant type: `password` (the default) or `refresh_token`." }),
    username: z
      .string()
      .min(1)
      .max(320)
      // Postgres text cannot hold NUL: the login lookup would fail with 22021 (a 500 before).
      .refine((value) => !value.includes("\u0000"), "must not contain NUL characters")
      .optional()
      .openapi({ description: "Password grant: the user's e-mail.", pattern: NO_NUL_PATTERN, example: "admin@example.com" }),
    password: z.string().min(1).max(256).optional().openapi({ format: "password", description: "Password grant: the password." }),
    refresh_token: z.string().min(1).max(200).optional().openapi({ description: "Refresh grant: the refresh token to exchange." }),
    // Swagger UI's "Authorize" dialog sends these empty for the password flow.
    scope: z.string().max(1000).optional(),
    client_id: z.string().max(200).optional(),
    client_secret: z.string().max(200).optional(),
  })
  .superRefine((request, context) => {
    const needed = request.grant_type === "refresh_token" ? (["refresh_token"] as const) : (["username", "password"] as const);
    for (const field of needed) {
      if (request[field] === undefined) {
        context.addIssue({ code: "custom", path: [field], message: `is required for grant_type=${request.grant_type ?? "password"}` });
      }
    }
  })
  .openapi("TokenRequest", {
    // The superRefine above, in the document's terms: which fields each grant needs.
    anyOf: [
      {
        title: "Password grant",
        properties: { grant_type: { type: "string", enum: ["password"] } },
        required: ["username", "password"],
      },
      {
        title: "Refresh grant",
        properties: { grant_type: { type: "string", enum: ["refresh_token"] } },
        required: ["grant_type", "refresh_token"],
      },
    ],
  });

export const TokenResponseSchema = z
  .object({
    access_token: z.string().openapi({ description: "A signed JWT (HS256)." }),
    token_type: z.literal("bearer"),
    expires_in: z.number().int().openapi({ description: "Seconds until the access token expires.", example: 300 }),
    refresh_token: z.string().openapi({
      description: "Exchange it for a new pair with `grant_type=refresh_token`; it works once, and presenting it again revokes its family.",
    }),
  })
  .openapi("TokenResponse");

export const token = createRoute({
  method: "post",
  path: "/token",
  operationId: "issueToken",
  tags,
  summary: "Get an access token (OAuth2 password or refresh_token grant)",
  description: [
    "Form-encoded. Password grant: `username` (e-mail) and `password`; wrong e-mail and wrong password give the same 401, and failed logins are limited (429 with `Retry-After`).",
    "Refresh grant: `grant_type=refresh_token` and `refresh_token`; the answer is a new pair and the old refresh token is retired. A retired, revoked or expired refresh token, or one issued before its user's role or password changed, gets 400 `invalid_grant`; presenting a retired one also revokes every token of its family.",
  ].join("\n\n"),
  security: [],
  request: {
    body: { required: true, content: { "application/x-www-form-urlencoded": { schema: TokenRequestSchema } } },
  },
  responses: {
    200: { description: "The token pair.", headers: tokenAnswerHeaders, content: { "application/json": { schema: TokenResponseSchema } } },
    ...problemResponses("unauthorized", "rate_limited", ...bodyProblems, "unsupported_media_type", "validation_failed", ...commonProblems),
  },
});

export const RevokeRequestSchema = z
  .strictObject({
    token: z.string().min(1).max(4096).openapi({ description: "The refresh token to revoke." }),
    // RFC 7009: a hint the server may ignore; every token is looked up as a refresh token.
    token_type_hint: z.string().max(100).optional(),
    client_id: z.string().max(200).optional(),
    client_secret: z.string().max(200).optional(),
  })
  .openapi("RevokeRequest");

export const revoke = createRoute({
  method: "post",
  path: "/revoke",
  operationId: "revokeToken",
  tags,
  summary: "Revoke a refresh token and its family (RFC 7009), e.g. to log out",
  description:
    "200 whether or not the token was known (RFC 7009). Access tokens cannot be revoked: they expire on their own within `expires_in` (5 minutes by default).",
  security: [],
  request: {
    body: { required: true, content: { "application/x-www-form-urlencoded": { schema: RevokeRequestSchema } } },
  },
  responses: {
    200: { description: "Revoked, or there was nothing to revoke.", headers: tokenAnswerHeaders },
    ...problemResponses(...bodyProblems, "unsupported_media_type", "validation_failed", ...commonProblems),
  },
});
