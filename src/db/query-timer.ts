import type { QueryTimer } from "../core/query-timer";

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
