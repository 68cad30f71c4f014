/** Creating a fresh cluster (data directory) with `initdb`. */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { EmbeddedPostgresOptions } from "../embedded-postgres";
import type { PostgresBinaries } from "./binaries";
import { errorCode, pathExists } from "./helpers";
import { assertUsableBy, captureOutput, type SpawnContext, spawnAs, waitForExit } from "./processes";
import { SUPERUSER, SUPERUSER_PASSWORD } from "./superuser";

/**
 * Create a fresh cluster in `dataDir` with `initdb`. It runs in a sibling
 * temporary folder renamed into place on success, so an interrupted initdb
 * never leaves a half-initialised cluster that would be mistaken for a good one.
 */
export async function initCluster(
  dataDir: string,
  binaries: PostgresBinaries,
  context: SpawnContext,
  options: Pick<EmbeddedPostgresOptions, "fast" | "log">,
): Promise<void> {
  if (await pathExists(dataDir)) {
    const entries = await fs.readdir(dataDir);
    if (entries.length > 0) {
      throw new Error(`${dataDir} is neither empty nor a Postgres data directory (no PG_VERSION)`);
    }
  }
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  const staging = `${dataDir}.initdb-${process.pid}-${randomBytes(4).toString("hex")}`;
  const pwDir = await fs.mkdtemp(path.join(os.tmpdir(), "product-service-pgpw-"));
  try {
    await fs.mkdir(staging, { mode: 0o700 });
    const pwFile = path.join(pwDir, "pwfile");
    await fs.writeFile(pwFile, `${SUPERUSER_PASSWORD}\n`, { mode: 0o600 });
    if (context.runAs) {
      await fs.chown(staging, context.runAs.uid, context.runAs.gid);
      await fs.chown(pwDir, context.runAs.uid, context.runAs.gid);
      await fs.chown(pwFile, context.runAs.uid, context.runAs.gid);
      await assertUsableBy(staging, context, dataDir);
    }
    const args = [
      `--pgdata=${staging}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${pwFile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
      "--no-instructions",
      ...(options.fast ? ["--no-sync"] : []),
    ];
    const tail: string[] = [];
    const child = spawnAs(binaries.initdb, args, context);
    captureOutput(child, tail, options.log);
    const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
    const { code, signal } = await Promise.race([waitForExit(child), spawnError]);
    if (code !== 0) {
      throw new Error(`initdb failed (${signal ?? `exit code ${code}`}):\n${tail.join("\n")}`);
    }
    // An empty pre-existing dataDir (e.g. from mkdtemp) must go for the rename.
    try {
      await fs.rmdir(dataDir);
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw error;
    }
    await fs.rename(staging, dataDir);
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
    await fs.rm(pwDir, { recursive: true, force: true });
  }
}
