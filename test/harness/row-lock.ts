import { z } from "zod";

/** What a test needs of a database session: node-postgres' `Client` and the Neon driver's both fit. */
export interface SqlSession {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
}

export interface RowLock {
  /** Sessions waiting for this lock right now (from `pg_blocking_pids`, so other tests' locks never count). */
  waiting(): Promise<number>;
  /** Resolves once some session waits for the lock; rejects after `limitMs`. */
  untilWaiting(limitMs?: number): Promise<void>;
  /** Polls until nobody waits any more; resolves with how long that took, rejects after `limitMs`. */
  untilNobodyWaits(limitMs?: number): Promise<number>;
  /** Rolls back (releasing the lock) and closes the session. */
  release(): Promise<void>;
}

const countRow = z.array(z.object({ n: z.coerce.number() })).length(1);

async function poll(check: () => Promise<boolean>, limitMs: number, what: string): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > limitMs) throw new Error(`${what} within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return performance.now() - started;
}

/** Locks one row of `table` (`SELECT … FOR UPDATE` in an open transaction) from `session`, as a slow writer would. */
export async function lockRow(session: SqlSession, table: string, id: string): Promise<RowLock> {
  await session.query("begin");
  await session.query(`select id from ${table} where id = $1 for update`, [id]);
  const waiting = async () => {
    // pg_stat_activity is read once per transaction, and this session stays in one: refresh it.
    await session.query("select pg_stat_clear_snapshot()");
    const { rows } = await session.query(
      "select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and pg_backend_pid() = any(pg_blocking_pids(pid))",
    );
    const [row] = countRow.parse(rows);
    return row?.n ?? 0;
  };
  return {
    waiting,
    untilWaiting: async (limitMs = 5_000) => {
      await poll(async () => (await waiting()) > 0, limitMs, "nobody waited for the lock");
    },
    untilNobodyWaits: (limitMs = 5_000) => poll(async () => (await waiting()) === 0, limitMs, "a session still waits for the lock"),
    release: async () => {
      // Bounded: should the session have died meanwhile, the Neon driver's end() never settles.
      const closed = (async () => {
        await session.query("rollback").catch(() => {});
        await session.end().catch(() => {});
      })();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    },
  };
}
