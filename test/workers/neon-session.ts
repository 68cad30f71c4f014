import { Client } from "@neondatabase/serverless";
import { inject } from "vitest";

/**
 * A database session of the test's own inside workerd (no TCP here): the Neon
 * driver through the run's WebSocket bridge, configured on this client only so
 * the Worker's own settings stay untouched.
 */
export async function openNeonSession(databaseUrl: string): Promise<Client> {
  const client = new Client(databaseUrl);
  const proxy = inject("wsProxy");
  client.neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
  client.neonConfig.useSecureWebSocket = false;
  client.neonConfig.pipelineTLS = false;
  client.neonConfig.pipelineConnect = false;
  // A stopped Postgres drops this session; without a listener that would be an uncaught error.
  client.on("error", () => {});
  await client.connect();
  return client;
}
