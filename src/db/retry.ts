import { isDroppedConnection } from "./errors";

/**
 * Pauses before each further attempt: the first gives the pool (ours on Node,
 * Neon's behind its HTTP endpoint) time to notice its other dead connections;
 * the later ones let a request outlast a burst of failures (a failover).
 */
const RETRY_DELAYS_MS = [20, 100, 250];

/**
 * Runs `work` again when its connection was dropped under it (see
 * `isDroppedConnection`), at most three more times. Only for work that is safe to
 * repeat even if the dropped attempt did take effect: reads, and writes fenced
 * on an idempotency claim, which a repeat can neither duplicate nor undo.
 */
export async function retryIfDropped<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined || !isDroppedConnection(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
