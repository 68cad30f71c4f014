// Docker parity without Docker: builds the artefact the image runs (scripts/build-node.ts output plus
// a production-only install made with the Dockerfile's own `npm ci` line, in a directory outside the
// repository so no devDependency can be picked up), starts it with the Dockerfile's CMD against the
// test Postgres, and runs the HTTP contract suites against it over real HTTP. The same suites run
// in workerd and in-process on Node, so the three paths cannot drift apart.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildNode, type NodeBuild, nonProductionImports } from "../../scripts/build-node";
import { createDatabase, dropDatabase } from "../../scripts/lib/embedded-postgres";
import { openClient } from "../../scripts/lib/pg-client";
import { smokeTest } from "../../scripts/smoke-test";
import { DEVELOPMENT_JWT_SECRET } from "../../src/config";
import { createHttpTarget } from "../contract/http-target";
import { registerContractSuites } from "../contract/suites";
import { dockerRuntime } from "./dockerfile";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const BUILD_COMMIT = "parity-test";

/**
 * node_modules of a production-only install, made once per package.json + lockfile and kept in the
 * system temp directory (a fresh install takes 8-12 s; a cached one nothing). Made in a staging
 * directory and renamed into place, so concurrent runs never see a half-made one.
 */
async function productionNodeModules(installArgs: string[]): Promise<string> {
  const manifest = await readFile(path.join(root, "package.json"));
  const lockfile = await readFile(path.join(root, "package-lock.json"));
  const key = createHash("sha256").update(manifest).update(lockfile).update(installArgs.join(" ")).digest("hex").slice(0, 20);
  const cacheRoot = path.join(os.tmpdir(), "product-service-prod-deps");
  const cached = path.join(cacheRoot, key);
  if (await exists(path.join(cached, "node_modules"))) return path.join(cached, "node_modules");
  await mkdir(cacheRoot, { recursive: true });
  const staging = await mkdtemp(path.join(cacheRoot, `.staging-${key}-`));
  await writeFile(path.join(staging, "package.json"), manifest);
  await writeFile(path.join(staging, "package-lock.json"), lockfile);
  await run("npm", [...installArgs, "--prefer-offline"], { cwd: staging, env: { ...process.env, npm_config_loglevel: "error" } });
  await rename(staging, cached).catch(async () => rm(staging, { recursive: true, force: true })); // another run won the race
  await pruneOldInstalls(cacheRoot, key);
  return path.join(cached, "node_modules");
}

async function pruneOldInstalls(cacheRoot: string, keep: string) {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const entry of await readdir(cacheRoot)) {
    if (entry === keep) continue;
    const full = path.join(cacheRoot, entry);
    if ((await stat(full)).mtimeMs < dayAgo) await rm(full, { recursive: true, force: true });
  }
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs the artefact as the image would: its CMD (Node = this Node 22), its working directory, a minimal environment. */
function startArtefact(dir: string, cmd: string[], env: Record<string, string>): Started {
  const [, ...args] = cmd;
  const child = spawn(process.execPath, args, {
    cwd: dir,
    // Nothing from the test runner's environment (NODE_OPTIONS, VITEST, …) leaks in; the image's ENV plus the given settings.
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", BUILD_COMMIT, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForReady(origin: string, started: Started, timeoutMs = 30_000) {
  let gone = false;
  void started.exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the built server exited before it was ready:\n${started.output()}`);
    const response = await fetch(`${origin}/ready`).catch(() => undefined);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the built server was not ready in ${timeoutMs} ms:\n${started.output()}`);
}

let artefact = "";
let build: NodeBuild;
let cmd: string[] = [];
let server: Started | undefined;
let origin = "";
const timings: Record<string, number> = {};

beforeAll(async () => {
  const time = async <T>(label: string, work: () => Promise<T>) => {
    const started = performance.now();
    const result = await work();
    timings[label] = Math.round(performance.now() - started);
    return result;
  };
  const runtime = await dockerRuntime(root);
  cmd = runtime.cmd;
  artefact = await mkdtemp(path.join(os.tmpdir(), "product-service-artefact-"));
  build = await time("build", () => buildNode(path.join(artefact, "dist")));
  const modules = await time("production install", () => productionNodeModules(runtime.installArgs));
  // What the Dockerfile's final stage copies next to dist/.
  for (const file of ["package.json", "package-lock.json"]) await cp(path.join(root, file), path.join(artefact, file));
  for (const dir of ["public", "drizzle"]) await cp(path.join(root, dir), path.join(artefact, dir), { recursive: true });
  await symlink(modules, path.join(artefact, "node_modules"), "dir");

  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = startArtefact(artefact, cmd, {
    DATABASE_URL: inject("databaseUrl"),
    PORT: String(port),
    ENVIRONMENT: "test",
    LOG_LEVEL: "warn",
  });
  await time("start until /ready", () => waitForReady(origin, server as Started));
}, 180_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
  if (artefact) await rm(artefact, { recursive: true, force: true });
  console.info(`parity artefact timings (ms): ${JSON.stringify(timings)}`);
});

const target = createHttpTarget(() => origin);

describe("the Docker artefact (dist/ + production-only node_modules), run as the image's CMD", () => {
  it("imports nothing but production dependencies and Node builtins", async () => {
    expect(Object.keys(build.files)).toEqual(expect.arrayContaining(["server.js", "migrate.js", "seed.js"]));
    expect(await nonProductionImports(build.externals)).toEqual([]);
  });

  it("serves the docs UI and its vendored files from public/ next to dist/", async () => {
    const docs = await fetch(`${origin}/docs`);
    expect(docs.status).toBe(200);
    const html = await docs.text();
    const asset = html.match(/(?:src|href)="(\/vendor\/[^"]+)"/)?.[1];
    expect(asset, "the docs page names a /vendor/ file").toBeDefined();
    expect((await fetch(`${origin}${asset}`)).status).toBe(200);
  });

  it("passes the deploy smoke test (scripts/smoke-test.ts)", async () => {
    const lines: string[] = [];
    await smokeTest(origin, {
      jwtSecret: DEVELOPMENT_JWT_SECRET,
      expectCommit: BUILD_COMMIT,
      timeoutMs: 5_000,
      log: (line) => lines.push(line),
    });
    expect(lines).toContain("ok GET /api/v1/ping (viewer token)");
  });

  it("migrates an empty database with dist/migrate.js and creates the first admin with dist/seed.js", async () => {
    const admin = inject("adminDatabaseUrl");
    const name = `parity_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
    const url = await createDatabase(admin, name);
    try {
      const env = { PATH: process.env.PATH ?? "", NODE_ENV: "production", DATABASE_URL: url };
      await run(process.execPath, ["dist/migrate.js"], { cwd: artefact, env });
      await run(process.execPath, ["dist/migrate.js"], { cwd: artefact, env }); // idempotent
      const seeded = await run(process.execPath, ["dist/seed.js"], {
        cwd: artefact,
        env: { ...env, SEED_ADMIN_EMAIL: "first@parity.example", SEED_ADMIN_PASSWORD: "a long parity password" },
      });
      expect(seeded.stdout).toMatch(/created admin first@parity\.example/);
      const journal = JSON.parse(await readFile(path.join(root, "drizzle/meta/_journal.json"), "utf8")) as { entries: unknown[] };
      const client = await openClient(url);
      try {
        const applied = await client.query("select count(*)::int as n from drizzle.__drizzle_migrations");
        expect(applied.rows[0]?.n).toBe(journal.entries.length);
        const admins = await client.query("select email from users where role = 'admin'");
        expect(admins.rows).toEqual([{ email: "first@parity.example" }]);
      } finally {
        await client.end();
      }
    } finally {
      await dropDatabase(admin, name);
    }
  }, 60_000);

  it("refuses to start as production without a JWT_SECRET, naming it", async () => {
    const refused = startArtefact(artefact, cmd, {
      DATABASE_URL: inject("databaseUrl"),
      PORT: String(await freePort()),
      ENVIRONMENT: "production",
    });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/JWT_SECRET/);
  }, 30_000);
});

registerContractSuites(target, process.env.CONTRACT);

describe("the Docker artefact's shutdown", () => {
  it("exits 0 on SIGTERM (the container's stop signal)", async () => {
    const running = server as Started;
    running.child.kill("SIGTERM");
    expect(await running.exited).toBe(0);
  }, 30_000);
});
