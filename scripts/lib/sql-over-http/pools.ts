/**
 * One small node-postgres pool per connection target, standing in for the
 * proxy's connection pool (proxy/src/serverless/conn_pool_lib.rs). Like the
 * proxy, a connection goes back only after the session reset of
 * `reset_session_background` (libs/proxy/tokio-postgres2/src/client.rs), so
 * nothing one request leaves behind (an open transaction, a SET, a temp table,
 * an advisory lock) reaches the next; a connection in doubt is destroyed
 * instead (`Discard::discard`).
 */
import pg from "pg";
import { connectError } from "./errors";
import type { ConnectionTarget } from "./request";

const RESET_SESSION = `ROLLBACK;
CLOSE ALL;
SET SESSION AUTHORIZATION DEFAULT;
RESET ALL;
DEALLOCATE ALL;
UNLISTEN *;
SELECT pg_advisory_unlock_all();
DISCARD TEMP;
DISCARD SEQUENCES;`;

/** Neon pools 20 per endpoint; a local database needs fewer. */
const MAX_CONNECTIONS = 10;
/** `sql_over_http_idle_timeout` default: 5 minutes. */
const IDLE_TIMEOUT_MS = 5 * 60 * 1000;

/** A checked-out connection and how to give it back exactly once. */
export interface Lease {
  client: pg.PoolClient;
  target: ConnectionTarget;
  /** Reset the session, then return it to the pool (destroyed if the reset fails). */
  release(): void;
  /** Destroy the connection: it may be mid-query or in an unknown state. */
  discard(): void;
}

export class Pools {
  private readonly pools = new Map<string, pg.Pool>();
  private closed = false;

  constructor(private readonly log: (line: string) => void) {}

  private poolFor(target: ConnectionTarget): pg.Pool {
    let pool = this.pools.get(target.key);
    if (!pool) {
      pool = new pg.Pool({
        host: target.host,
        port: target.port,
        database: target.database,
        user: target.user,
        password: target.password,
        max: MAX_CONNECTIONS,
        idleTimeoutMillis: IDLE_TIMEOUT_MS,
      });
      // A connection Postgres drops (restart, pg_terminate_backend) must not crash the process.
      pool.on("error", (error) => this.log(`sql-over-http: idle connection to ${target.host}:${target.port} failed: ${error.message}`));
      pool.on("connect", (client) => client.on("error", (error) => this.log(`sql-over-http: connection error: ${error.message}`)));
      this.pools.set(target.key, pool);
    }
    return pool;
  }

  /** A connection for `target`, or the proxy's connect error (see `connectError`). */
  async acquire(target: ConnectionTarget): Promise<Lease> {
    if (this.closed) throw new Error("the endpoint is closed");
    let client: pg.PoolClient;
    try {
      client = await this.poolFor(target).connect();
    } catch (error) {
      throw connectError(error, target.user);
    }
    let done = false;
    const once = (action: () => void) => {
      if (done) return;
      done = true;
      action();
    };
    return {
      client,
      target,
      release: () =>
        once(() => {
          client.query(RESET_SESSION).then(
            () => client.release(),
            (error: Error) => client.release(error),
          );
        }),
      discard: () => once(() => client.release(true)),
    };
  }

  /** End every pool; idle connections close now, leased ones as they are released. */
  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.end().catch(() => {})));
  }
}
