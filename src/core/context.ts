import type { Database } from "../db/database";
import type { VerifiedPrincipal } from "./auth/jwt";
import type { Logger } from "./logger";

/** Per-request values every middleware and handler can read with `c.get`. */
export interface AppVariables {
  requestId: string;
  logger: Logger;
  /** Present on routes that use the database; opened lazily by the entry's factory. */
  db: Database;
  /** Who the bearer token speaks for; set by `authenticate` on every `/api/v1` route but the token endpoint. */
  principal: VerifiedPrincipal;
  /** Milliseconds spent waiting on the database during this request. */
  dbTimeMs: number;
}

export interface AppEnv {
  Variables: AppVariables;
}
