import { type SQL, sql } from "drizzle-orm";
import type { VerifiedPrincipal } from "../../core/auth/jwt";
import { type Role, roles } from "../../core/auth/roles";
import { isUuid } from "../../core/uuid";

/** What `require_role` is called with for one principal (the values of a prepared statement's placeholders). */
export interface RoleCheck {
  actorId: string | null;
  actorVersion: number;
  /** Postgres array text of the roles that grant at least the one needed, e.g. `{admin}`. */
  allowedRoles: string;
}

/**
 * The values that check the principal's stored role, or undefined for an
 * external principal: it has no row here, its identity provider is the truth
 * (its tokens' lifetime bounds a change), and nothing is checked.
 */
export function roleCheck(principal: VerifiedPrincipal, needed: Role): RoleCheck | undefined {
  if (principal.source === "external") return undefined;
  return {
    // A subject that is no UUID names no user (UA401), rather than failing the cast (a 500).
    actorId: isUuid(principal.subject) ? principal.subject : null,
    actorVersion: principal.authVersion ?? 0,
    allowedRoles: `{${roles.slice(roles.indexOf(needed)).join(",")}}`,
  };
}

const requireRole = (actorId: unknown, actorVersion: unknown, allowedRoles: unknown) =>
  sql`require_role(${actorId}::uuid, ${actorVersion}::integer, ${allowedRoles}::text[])`;

/**
 * A condition that holds only while the token's user still exists with the
 * role and password the token was issued under, and that role grants `needed`
 * (`require_role`, migration 0007). Put it in the WHERE clause (or the
 * inserted id, see `provenId`) of the statement that does the work, so the
 * stored truth is checked in the same round trip: a stale token fails with
 * SQLSTATE UA401 (→ 401), a too-low stored role with UA403 (→ 403), and
 * nothing is read or written.
 *
 * Every role or password change raises `auth_version`, so a token that passes
 * carries the stored role: the handlers' rules that compare with the caller's
 * role (nobody raises their own) therefore compare with the stored one.
 */
export function storedRoleAtLeast(principal: VerifiedPrincipal, needed: Role): SQL | undefined {
  const check = roleCheck(principal, needed);
  return check && requireRole(check.actorId, check.actorVersion, check.allowedRoles);
}

/** The same condition in a prepared statement, bound from `roleCheck`'s values. */
export const storedRoleAtLeastPlaceholders = requireRole(
  sql.placeholder("actorId"),
  sql.placeholder("actorVersion"),
  sql.placeholder("allowedRoles"),
);

/** The id to insert, once `condition` held (it raises otherwise): gates an INSERT … VALUES, which has no WHERE. */
export const provenId = (id: string, condition: SQL | undefined): string | SQL =>
  condition === undefined ? id : sql`(case when ${condition} then ${id}::uuid end)`;
