/** Lets work finish after the response: Workers needs `waitUntil`; Node has no ExecutionContext and simply lets it run. */
export function runAfterResponse(c: { executionCtx: { waitUntil(work: Promise<unknown>): void } }, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    void work;
  }
}
