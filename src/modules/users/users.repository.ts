import { and, eq, type SQL, sql } from "drizzle-orm";
import type { VerifiedPrincipal } from "../../core/auth/jwt";
import type { Role } from "../../core/auth/roles";
import { NotFound, StateConflict, Taken } from "../../core/domain-errors";
import { isUuid, uuidv7 } from "../../core/uuid";
import { createdJson } from "../../db/created-json";
import type { Database } from "../../db/database";
import { isUniqueViolation } from "../../db/errors";
import { keysetPage, keysetQuery } from "../../db/keyset";
import { firstRow } from "../../db/rows";
import { containsText, folded } from "../../db/search";
import { changesRow, raisedWhen, versionedChange } from "../../db/versions";
import { IdempotencyRepository, type IdempotencyScope } from "../idempotency/idempotency.repository";
import { provenId, storedRoleAtLeast } from "./stored-role";
import type { ListUsersQuery, User } from "./users.schemas";
import { type UserRow, users } from "./users.table";

const sortColumns = { createdAt: users.createdAt, email: users.email } as const;

export function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, role: row.role, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

function conflictOnEmail(error: unknown): never {
  if (isUniqueViolation(error)) {
    throw new Taken("user", "email", "e-mail");
  }
  throw error;
}

// The stored answer is the API's User (never the hash), built in SQL from the new row.
const userJson = createdJson({
  id: users.id,
  email: users.email,
  role: users.role,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
});

const lastAdmin = () => new StateConflict("This is the last admin: make another admin first.");

/**
 * True while another admin exists. `FOR UPDATE` locks the admin rows, so two
 * admins demoting or deleting each other at once cannot both succeed.
 */
const anotherAdminExists = (id: string) =>
  sql`(select count(*) from (select 1 from ${users} where ${users.role} = 'admin' and ${users.id} <> ${id} for update) as others) > 0`;

/**
 * Every SQL statement for users. Managing users is for admins: with the
 * caller's principal, each of those statements also checks the caller's
 * stored role (`storedRoleAtLeast`), in the same round trip.
 */
export class UserRepository {
  constructor(
    private readonly db: Database,
    private readonly caller?: VerifiedPrincipal,
  ) {}

  /** The stored-role check of an admin operation; none without a caller (login, `/users/me`). */
  private callerIsAdmin() {
    return this.caller && storedRoleAtLeast(this.caller, "admin");
  }

  /** The login lookup: one statement, by the unique index on the folded e-mail. */
  async findByEmail(email: string): Promise<UserRow | undefined> {
    const [row] = await this.db
      .select()
      .from(users)
      .where(sql`${folded(users.email)} = ${folded(email.trim())}`);
    return row;
  }

  async list(query: ListUsersQuery): Promise<{ data: User[]; nextCursor: string | null }> {
    const conditions: (SQL | undefined)[] = [];
    if (query.q !== undefined) conditions.push(containsText(query.q, users.email));
    if (query.role !== undefined) conditions.push(eq(users.role, query.role));
    const request = {
      sort: query.sort ?? "-createdAt",
      columns: sortColumns,
      idColumn: users.id,
      limit: query.limit ?? 20,
      cursor: query.cursor,
      filters: [query.q ?? null, query.role ?? null],
    };
    const { after, orderBy, limit } = keysetQuery(request);
    const rows = await this.db
      .select()
      .from(users)
      .where(and(...conditions, after, this.callerIsAdmin()))
      .orderBy(...orderBy)
      .limit(limit);
    const page = keysetPage(request, rows);
    return { data: page.rows.map(toUser), nextCursor: page.nextCursor };
  }

  async getById(id: string): Promise<UserRow> {
    // A token's subject reaches here unchecked (GET /users/me): a non-UUID names no user, it is not a database error.
    if (!isUuid(id)) throw new NotFound("User");
    const [row] = await this.db
      .select()
      .from(users)
      .where(and(eq(users.id, id), this.callerIsAdmin()));
    if (!row) throw new NotFound("User");
    return row;
  }

  /**
   * Inserts the user; with an idempotency scope the same statement stores the answer under the key,
   * with the `Location` the handler gives (`location(id)`, the handler's own function).
   */
  async create(
    input: { email: string; role: Role; passwordHash: string },
    idempotency: IdempotencyScope | undefined,
    location: (id: string) => string,
  ): Promise<UserRow> {
    const id = uuidv7();
    const values = { id: provenId(id, this.callerIsAdmin()), email: input.email, role: input.role, passwordHash: input.passwordHash };
    if (!idempotency) return firstRow(await this.db.insert(users).values(values).returning().catch(conflictOnEmail));
    const rows = await new IdempotencyRepository(this.db)
      .createWithAnswer(
        idempotency,
        (fencedId) =>
          this.db
            .insert(users)
            .values({ ...values, id: fencedId(values.id) })
            .returning(),
        { body: userJson, headers: sql`${JSON.stringify({ Location: location(id) })}::json` },
        (statement, created) => statement.select().from(created),
      )
      .catch(conflictOnEmail);
    return firstRow(rows);
  }

  /**
   * Changes role and/or password hash; refuses to demote the last admin (409).
   * Either change raises `auth_version`: the user's tokens lose admin power and
   * its refresh tokens stop working at once. Writing the role it already has
   * (or nothing) changes nothing: no new version, time or `auth_version`.
   */
  async update(id: string, changes: { role?: Role; passwordHash?: string }): Promise<UserRow> {
    const demotes = changes.role !== undefined && changes.role !== "admin";
    const [row] = await this.db
      .update(users)
      .set({
        ...changes,
        ...versionedChange(users, changes),
        // A new hash is always salted anew, so a password change is always a change.
        authVersion: raisedWhen(changesRow(users, changes), users.authVersion),
      })
      .where(
        and(eq(users.id, id), this.callerIsAdmin(), demotes ? sql`(${users.role} <> 'admin' or ${anotherAdminExists(id)})` : undefined),
      )
      .returning();
    if (row) return row;
    await this.getById(id);
    throw lastAdmin();
  }

  /** Rewrites a hash made with weaker parameters; the login that noticed it still succeeds if this fails. */
  async rehash(id: string, passwordHash: string): Promise<void> {
    await this.db.update(users).set({ passwordHash }).where(eq(users.id, id));
  }

  async remove(id: string): Promise<void> {
    const rows = await this.db
      .delete(users)
      .where(and(eq(users.id, id), this.callerIsAdmin(), sql`(${users.role} <> 'admin' or ${anotherAdminExists(id)})`))
      .returning({ id: users.id });
    if (rows.length > 0) return;
    await this.getById(id);
    throw lastAdmin();
  }
}
