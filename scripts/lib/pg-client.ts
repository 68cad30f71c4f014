import pg from "pg";

/**
 * Opens one ad-hoc Postgres session (scripts and tests; the service uses its pools). The error
 * listener is the point: without one, a dropped connection (a stopped Postgres, a killed backend)
 * is an uncaught error that ends the whole process; with it, the next query rejects instead.
 */
export async function openClient(url: string, options: { connectionTimeoutMillis?: number } = {}): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, ...options });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** Runs `fn` with a session of its own, closed afterwards whatever happens. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await openClient(url);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
