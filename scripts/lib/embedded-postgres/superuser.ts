/** The cluster's one role: its credentials, its URL and how its password is hashed. */
import { withClient } from "../pg-client";
import { HOST } from "./ports";

/** The only role of the cluster; fine for a loopback-only dev/test server. */
export const SUPERUSER = "postgres";
export const SUPERUSER_PASSWORD = "postgres";

export function adminUrlFor(port: number): string {
  return `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@${HOST}:${port}/postgres`;
}

/**
 * Re-hash the superuser password with `iterations` SCRAM iterations unless
 * its stored verifier ("SCRAM-SHA-256$<iterations>:<salt>$...") already uses them.
 */
export async function setScramIterations(adminUrl: string, iterations: number): Promise<void> {
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`invalid scramIterations: ${iterations}`);
  await withClient(adminUrl, async (client) => {
    const result = await client.query<{ rolpassword: string | null }>("SELECT rolpassword FROM pg_authid WHERE rolname = $1", [SUPERUSER]);
    if (result.rows[0]?.rolpassword?.startsWith(`SCRAM-SHA-256$${iterations}:`)) return;
    await client.query(`SET scram_iterations = ${iterations}`);
    await client.query(`ALTER ROLE ${client.escapeIdentifier(SUPERUSER)} PASSWORD ${client.escapeLiteral(SUPERUSER_PASSWORD)}`);
  });
}
