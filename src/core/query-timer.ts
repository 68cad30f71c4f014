// A request's database time: started here by the request log, fed by the database handle's queries (db/query-timer.ts).

/**
 * Wall-clock time during which at least one query (or a wait for a pooled
 * connection) of one request was outstanding. Overlapping queries count once,
 * so the figure never exceeds the request's own duration.
 */
export interface QueryTimer {
  /** Milliseconds so far, including a query still in flight. */
  elapsedMs(): number;
  /** Marks a query as started; call the returned function once when it settles. */
  start(): () => void;
}

export function createQueryTimer(now: () => number = () => performance.now()): QueryTimer {
  let settled = 0;
  let inFlight = 0;
  let since = 0;
  return {
    elapsedMs: () => settled + (inFlight > 0 ? now() - since : 0),
    start() {
      if (inFlight === 0) since = now();
      inFlight++;
      let stopped = false;
      return () => {
        if (stopped) return;
        stopped = true;
        inFlight--;
        if (inFlight === 0) settled += now() - since;
      };
    },
  };
}
