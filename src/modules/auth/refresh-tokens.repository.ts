import { lt, sql } from "drizzle-orm";
import type { Role } from "../../core/auth/roles";
import { uuidv7 } from "../../core/uuid";
import type { Database } from "../../db/database";
import { rawRows } from "../../db/rows";
import { users } from "../users/users.table";
import { refreshTokens } from "./refresh-tokens.table";

/** Who a refresh token speaks for, read from the users table when it is used (never from the old token). */
export interface RefreshedUser {
  id: string;
  role: Role;
  email: string;
  authVersion: number;
}

/** What presenting a refresh token came to. */
export type Rotation =
  | { outcome: "rotated"; user: RefreshedUser }
  /** Unknown, expired, revoked, or its user's role or password changed since it was issued. */
  | { outcome: "refused" }
  /** It had already been used: its whole family is revoked now. */
  | { outcome: "reused" };

const expiry = (lifetimeSeconds: number) => sql`now() + make_interval(secs => ${lifetimeSeconds})`;

/** Every SQL statement for refresh tokens; tokens come in and go out as digests (`opaqueTokenDigest`). */
export class RefreshTokenRepository {
  constructor(private readonly db: Database) {}

  /** Starts a family for a user who has just proven their password. */
  async start(user: { id: string; authVersion: number }, digest: string, lifetimeSeconds: number): Promise<void> {
    await this.db.insert(refreshTokens).values({
      id: uuidv7(),
      familyId: uuidv7(),
      userId: user.id,
      tokenHash: digest,
      authVersion: user.authVersion,
      expiresAt: expiry(lifetimeSeconds),
    });
  }

  /**
   * Retires the presented token and stores its successor, in ONE statement.
   *
   * `presented` locks the token's row, so of two requests presenting the same
   * token one waits and then sees it retired. A live token (not retired, not
   * revoked, not expired, issued under its user's current `auth_version`) is
   * retired (`used`) and its successor inserted in the same family (`issued`);
   * the user's current role comes back for the new access token. A retired
   * token revokes every token of its family (`revoked`): a retired token is
   * only ever presented by someone holding a copy of it, the client or a thief.
   */
  async rotate(presentedDigest: string, successorDigest: string, lifetimeSeconds: number): Promise<Rotation> {
    const [row] = await rawRows<{ revoked: number; id: string | null; role: Role; email: string; auth_version: number }>(
      this.db,
      sql`with presented as (
        select * from ${refreshTokens} where token_hash = ${presentedDigest} for update
      ), used as (
        update ${refreshTokens} set rotated_at = now()
        from presented, ${users}
        where ${refreshTokens.id} = presented.id
          and presented.rotated_at is null and presented.revoked_at is null and presented.expires_at > now()
          and ${users.id} = presented.user_id and ${users.authVersion} = presented.auth_version
          -- A family with any revoked token stays revoked, even a successor a concurrent reuse did not see.
          and not exists (select 1 from ${refreshTokens} as kin where kin.family_id = presented.family_id and kin.revoked_at is not null)
        returning presented.family_id, presented.user_id, presented.auth_version
      ), issued as (
        insert into ${refreshTokens} (id, family_id, user_id, token_hash, auth_version, expires_at)
        select ${uuidv7()}::uuid, family_id, user_id, ${successorDigest}, auth_version, ${expiry(lifetimeSeconds)} from used
        returning user_id
      ), revoked as (
        update ${refreshTokens} set revoked_at = now()
        where family_id in (select family_id from presented where rotated_at is not null) and revoked_at is null
        returning 1
      )
      select (select count(*) from revoked)::integer as revoked, u.id, u.role, u.email, u.auth_version
      from (select 1) as one
      left join (issued join ${users} as u on u.id = issued.user_id) on true`,
    );
    if (row?.id) return { outcome: "rotated", user: { id: row.id, role: row.role, email: row.email, authVersion: row.auth_version } };
    return row && row.revoked > 0 ? { outcome: "reused" } : { outcome: "refused" };
  }

  /** Revokes the token's whole family (RFC 7009: revoking a refresh token may revoke its grant); unknown tokens change nothing. */
  async revokeFamily(digest: string): Promise<void> {
    await this.db.execute(
      sql`update ${refreshTokens} set revoked_at = now()
          where family_id = (select family_id from ${refreshTokens} where token_hash = ${digest}) and revoked_at is null`,
    );
  }

  /** Deletes expired tokens (retired ones included: once expired, a copy of one is useless anyway); returns how many. */
  async purgeExpired(): Promise<number> {
    const rows = await this.db.delete(refreshTokens).where(lt(refreshTokens.expiresAt, sql`now()`)).returning({ id: refreshTokens.id });
    return rows.length;
  }
}
