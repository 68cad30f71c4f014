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

/**
 * The same pool or client, with `query` (and `connect`, whose client is wrapped
 * too, for transactions) timed on `timer`. A Proxy rather than a new object:
 * Drizzle decides whether to check out a client for a transaction with
 * `instanceof Pool`, which a Proxy keeps. Everything else goes to the target
 * itself, so the driver's own state is never split between two objects.
 */
export function timeQueries<T extends object>(target: T, timer: QueryTimer): T {
  return new Proxy(target, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key);
      if (typeof value !== "function") return value;
      if (key === "query") return (...args: unknown[]) => timed(timer, () => Reflect.apply(value, object, args));
      if (key === "connect") {
        return (...args: unknown[]) => {
          const result = timed(timer, () => Reflect.apply(value, object, args));
          return isThenable(result) ? result.then((client) => (isObject(client) ? timeQueries(client, timer) : client)) : result;
        };
      }
      return value.bind(object);
    },
  });
}

/** Times `call` until its promise settles; Drizzle always uses the promise form, so a callback-style call counts nothing. */
function timed(timer: QueryTimer, call: () => unknown): unknown {
  const stop = timer.start();
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    stop();
    throw error;
  }
  if (!isThenable(result)) {
    stop();
    return result;
  }
  return Promise.resolve(result).finally(stop);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return isObject(value) && "then" in value && typeof value.then === "function";
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}
