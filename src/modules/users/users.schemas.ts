import { z } from "@hono/zod-openapi";
import { passwordPolicy } from "../../core/auth/password-policy";
import { roles } from "../../core/auth/roles";
import { NO_NUL_PATTERN, uuidParam } from "../../core/openapi";
import { pageCursorParam, pageLimitParam, sortParam } from "../../core/query-params";

/**
 * zod's own e-mail shape with letters, marks and digits of every script where it allows ASCII ones:
 * internationalised addresses (RFC 6531, `ä@exämple.de`) are accepted; quoted local parts and IP-literal
 * domains are not.
 */
const internationalEmail =
  /^(?:[\p{L}\p{M}\p{N}_'+-]+\.)*[\p{L}\p{M}\p{N}_'+-]*[\p{L}\p{M}\p{N}_+-]@(?:[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}-]*\.)+[\p{L}\p{M}]{2,}$/u;
const email = z
  .string()
  .trim()
  .max(320)
  .pipe(z.email({ pattern: internationalEmail }))
  .openapi({
    description: "Login e-mail, internationalised ones included; unique case-insensitively in every script (`Ä@x.de` is `ä@x.de`).",
    format: "idn-email",
    // What the service accepts exactly (after trimming): idn-email alone also allows quoted local parts and IP literals.
    pattern: internationalEmail.source,
    example: "ada@example.com",
  });
const role = z.enum(roles).openapi({ description: "viewer < editor < admin; each includes the one before.", example: "editor" });

export const UserSchema = z
  .object({
    id: z.string().openapi({
      description: "User id (UUID for local users, the token subject for external ones).",
      example: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f",
    }),
    email: z.string().nullable().openapi({ example: "ada@example.com" }),
    role,
    createdAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime().nullable(),
  })
  .openapi("User", { description: "A user. Passwords and hashes never appear in any response." });

/** Admin creates a user. Unknown fields (id, passwordHash, …) are rejected. */
export const CreateUserSchema = z.strictObject({ email, password: passwordPolicy, role }).openapi("CreateUser");

/** Admin changes a user's role and/or password. */
export const PatchUserSchema = z.strictObject({ role: role.optional(), password: passwordPolicy.optional() }).openapi("UserPatch");

export const userSorts = ["createdAt", "-createdAt", "email", "-email"] as const;

export const ListUsersQuerySchema = z.object({
  limit: pageLimitParam,
  cursor: pageCursorParam,
  sort: sortParam(userSorts),
  q: z
    .string()
    .min(1)
    .max(320)
    .refine((value) => !value.includes("\u0000"), "must not contain NUL characters")
    .optional()
    .openapi({ param: { description: "Case-insensitive substring of the e-mail." }, pattern: NO_NUL_PATTERN }),
  role: role.optional().openapi({ param: { description: "Only users with this role." } }),
});

export const UserPageSchema = z.object({ data: z.array(UserSchema), nextCursor: z.string().nullable() }).openapi("UserPage");

export const UserIdParamsSchema = z.object({ id: uuidParam("User id (UUID).") });

export type User = z.infer<typeof UserSchema>;
export type CreateUserInput = z.infer<typeof CreateUserSchema>;
export type PatchUserInput = z.infer<typeof PatchUserSchema>;
export type ListUsersQuery = z.infer<typeof ListUsersQuerySchema>;
