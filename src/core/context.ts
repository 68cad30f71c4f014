import type { Database } from "../db/database";
import type { Logger } from "./logger";

/** Per-request values every middleware and handler can read with `c.get`. */
export interface AppVariables {
  requestId: string;
  logger: Logger;
  /** Present on routes that use the database; opened lazily by the entry's factory. */
  db: Database;
  /** Milliseconds spent waiting on the database during this request. */
  dbTimeMs: number;
}

export interface AppEnv {
  Variables: AppVariables;
}
