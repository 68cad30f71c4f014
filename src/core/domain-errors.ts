// What a repository (or any code below the HTTP layer) reports when a request cannot be done as asked.
// They say what went wrong in the domain's words; `errorHandler` (core/error-handler.ts) is the one place
// that turns them into HTTP problems, so `db/` and the repositories never build an HTTP answer.
import { withArticle } from "./words";

/** Base class: every domain refusal is expected, never logged as an error. */
export abstract class DomainError extends Error {}

/** No such row. `resource` is its name for people, capitalised: `Product`, `Stock item`. */
export class NotFound extends DomainError {
  override name = "NotFound";
  constructor(readonly resource: string) {
    super(`${resource} was not found.`);
  }
}

/** The row exists, but not at the version the client pinned with `If-Match`. */
export class VersionMismatch extends DomainError {
  override name = "VersionMismatch";
  /** The stored version, when it was read; undefined when the pin could never match (a weak or foreign ETag). */
  constructor(readonly currentVersion?: number) {
    super(
      currentVersion === undefined
        ? "If-Match does not match the current version; nothing was changed."
        : `If-Match does not match the current version (${currentVersion}); nothing was changed.`,
    );
  }
}

/**
 * A unique field's value is already held by another row. `resource` is its name in prose (`product`);
 * `fieldInProse` spells the field for people where its API name reads badly (`e-mail` for `email`).
 */
export class Taken extends DomainError {
  override name = "Taken";
  constructor(
    readonly resource: string,
    readonly field: string,
    fieldInProse: string = field,
  ) {
    super(`${withArticle(resource)} with this ${fieldInProse} already exists.`);
  }
}

/** A reference field names a row that does not exist. */
export class UnknownReference extends DomainError {
  override name = "UnknownReference";
  constructor(readonly field: string) {
    super(`${field} names nothing that exists.`);
  }
}

/** Other rows still refer to this one, so it cannot be deleted. `resource` is its name in prose. */
export class StillReferenced extends DomainError {
  override name = "StillReferenced";
  constructor(readonly resource: string) {
    super(`Other resources still refer to this ${resource}; delete or change them first.`);
  }
}

/** The change would break a rule about the stored data as it stands (e.g. removing the last admin). `message` says which, for people. */
export class StateConflict extends DomainError {
  override name = "StateConflict";
  constructor(message: string) {
    super(message);
  }
}

/** A page cursor this API did not issue, or issued for another query. `why` completes "cursor …". */
export class InvalidCursor extends DomainError {
  override name = "InvalidCursor";
  constructor(readonly why: string) {
    super(`cursor ${why}.`);
  }
}

/**
 * What a failed database statement means for the request, as db/errors.ts tells it from the driver's
 * error: the database is unreachable or too slow (`unavailable`); the caller's stored role check refused
 * (`stale_token`: the token's user changed since it was issued; `role_too_low`); or a foreign key
 * refused the write (`referenced`).
 */
export type DatabaseRefusal = "unavailable" | "stale_token" | "role_too_low" | "referenced";
