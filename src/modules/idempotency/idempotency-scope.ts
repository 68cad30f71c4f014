/** The Idempotency-Key claimed for this request, scoped to its user. */
export interface IdempotencyScope {
  userId: string;
  key: string;
  /** SHA-256 of method, path and body. */
  requestHash: string;
}
