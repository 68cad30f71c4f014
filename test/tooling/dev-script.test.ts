import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { acceptsConnections } from "../../scripts/lib/dev-database";
import { parseDevVars } from "../../scripts/lib/dev-settings";
import { findFreePort } from "../../scripts/lib/embedded-postgres";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function firstProductNames(url: string, child: ChildProcess, deadline: number): Promise<string[]> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dev script exited early with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`no 200 from ${url} in time`);
    const token = await fetch(new URL("/api/v1/auth/token", url), {
      method: "POST",
      body: new URLSearchParams({ username: "admin@example.com", password: "dev-admin-password" }),
    })
      .then(async (response) => (response.status === 200 ? ((await response.json()) as { access_token: string }).access_token : undefined))
      .catch(() => undefined);
    const names = await (token ? fetch(url, { headers: { authorization: `Bearer ${token}` } }) : Promise.reject(new Error("no token")))
      .then(async (response) => (response.status === 200 ? ((await response.json()) as { data: Array<{ name: string }> }) : undefined))
      .then((body) => body?.data.map((product) => product.name))
      .catch(() => undefined);
    if (names !== undefined && names.length > 0) return names;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A developer's own DATABASE_URL in .dev.vars would replace the embedded database this test is about.
const devVarsFile = path.join(repoRoot, ".dev.vars");
const usesOwnDatabase = existsSync(devVarsFile) && parseDevVars(readFileSync(devVarsFile, "utf8")).has("DATABASE_URL");

describe.skipIf(usesOwnDatabase)("npm run dev:node (scripts/dev.ts --node)", () => {
  let dataDir: string | undefined;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("serves the seeded demo products, and Ctrl-C stops the server and Postgres with exit code 0", async () => {
    // A mkdtemp folder is used as the data directory itself: as root, Postgres' user cannot enter a 0700 parent.
    dataDir = await mkdtemp(path.join(os.tmpdir(), "product-service-dev-test-"));
    const [appPort, postgresPort, sqlEndpointPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
    let output = "";
    const child = spawn(tsx, ["scripts/dev.ts", "--node"], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: "",
        PORT: String(appPort),
        DEV_PG_PORT: String(postgresPort),
        DEV_SQL_PORT: String(sqlEndpointPort),
        DEV_DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

    try {
      const names = await firstProductNames(`http://127.0.0.1:${appPort}/api/v1/products`, child, Date.now() + 40_000);
      expect(names).toEqual(expect.arrayContaining(["Espresso cup", "Burr grinder", "Travel mug"]));
      const postgresPid = Number(/embedded Postgres \(pid (\d+)/.exec(output)?.[1]);
      expect(postgresPid).toBeGreaterThan(0);

      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(await acceptsConnections(postgresPort)).toBe(false);
      expect(await acceptsConnections(appPort)).toBe(false);
      expect(isAlive(postgresPid)).toBe(false);
    } catch (error) {
      // Still an orderly stop, so this failure leaves no Postgres behind.
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      throw new Error(`${error instanceof Error ? error.message : error}\n--- dev script output ---\n${output}`, { cause: error });
    }
  }, 60_000);
});
