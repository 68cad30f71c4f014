/** Small promise helpers for racing work against a client disconnect or a deadline. */

/** Resolves when `signal` aborts (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<"aborted"> {
  if (signal.aborted) return Promise.resolve("aborted");
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve("aborted"), { once: true }));
}

/** `work`'s value, or "timeout" after `ms` (the timer does not keep the process alive). */
export function within<T>(work: Promise<T>, ms: number): Promise<T | "timeout"> {
  return Promise.race([work, new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), ms).unref())]);
}
