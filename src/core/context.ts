import type { Database } from "../db/database";
import type { IdempotencyScope } from "../modules/idempotency/idempotency-scope";
import type { VerifiedPrincipal } from "./auth/jwt";
import type { Logger } from "./logger";
import type { QueryTimer } from "./query-timer";

/** Per-request values every middleware and handler can read with `c.get`. */
export interface AppVariables {
  requestId: string;
  logger: Logger;
  /** Present on routes that use the database; opened lazily by the entry's factory. */
  db: Database;
  /** Who the bearer token speaks for; set by `authenticate` on every `/api/v1` route but the token endpoint. */
  principal: VerifiedPrincipal;
  /** Set by the idempotency middleware when the request carries an Idempotency-Key: the create stores its answer under it. */
  idempotency: IdempotencyScope | undefined;
  /** Aborted when the request budget runs out (set by `timeBudget`): the database stops its statements where it can. */
  deadline: AbortSignal | undefined;
  /** Times this request's queries; set by the request log, passed to `openDatabase`. */
  queryTimer: QueryTimer;
  /** Milliseconds spent waiting on the database during this request (set once the response is ready). */
  dbTimeMs: number;
  /** PUBLIC_URL, the base of problem `type`s; unset: they are relative. */
  publicUrl: string | undefined;
}

export interface AppEnv {
  Variables: AppVariables;
}
