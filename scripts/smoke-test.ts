// npm run smoke -- <base-url>: what CI checks after each preview upload and production deploy
// (and what an operator can run against any deployment, Docker and Kubernetes included).
//   /ready   200, retried while a new version propagates or a Neon compute wakes up; with
//            SMOKE_EXPECT_COMMIT, until /ready names that commit (so the old version cannot pass)
//   /health, /openapi.json  200
//   GET /api/v1/ping        one real API call through the database: 200 as a viewer, with a
//            five-minute token signed with SMOKE_JWT_SECRET (the deployment's JWT_SECRET; role
//            checks read no database, so no user has to exist). Without it: 401 problem.
//            Ping, not a resource: every service has it, whatever resources it keeps.
import { pathToFileURL } from "node:url";
import { signAccessToken } from "../src/core/auth/jwt";

export interface SmokeOptions {
  jwtSecret?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
  expectCommit?: string | undefined;
  timeoutMs?: number;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Throws with a readable reason on the first failed check. */
export async function smokeTest(baseUrl: string, options: SmokeOptions = {}): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, baseUrl), { headers, redirect: "manual", signal: AbortSignal.timeout(10_000) });

  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (let last = ""; ; await sleep(2_000)) {
    try {
      const response = await get("/ready");
      const body = (await response.json()) as { commit?: string };
      if (response.status === 200 && (!options.expectCommit || body.commit === options.expectCommit)) {
        log(`ok /ready ${JSON.stringify(body)}`);
        break;
      }
      last = `${response.status} ${JSON.stringify(body)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      const which = options.expectCommit ? ` for commit ${options.expectCommit}` : "";
      throw new Error(`/ready did not answer 200${which} in time; last answer: ${last}`);
    }
  }

  for (const path of ["/health", "/openapi.json"]) {
    const response = await get(path);
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    log(`ok ${path}`);
  }

  if (options.jwtSecret) {
    const settings = {
      secret: options.jwtSecret,
      issuer: options.issuer ?? "product-service",
      audience: options.audience ?? "product-service",
      lifetimeSeconds: 300,
    };
    const { token } = await signAccessToken(settings, { sub: crypto.randomUUID(), role: "viewer", authVersion: 1 });
    const response = await get("/api/v1/ping", { authorization: `Bearer ${token}` });
    const body = (await response.json().catch(() => undefined)) as { status?: unknown } | undefined;
    if (response.status !== 200 || body?.status !== "ok") {
      throw new Error(`GET /api/v1/ping answered ${response.status} ${JSON.stringify(body)}`);
    }
    log("ok GET /api/v1/ping (viewer token)");
  } else {
    const response = await get("/api/v1/ping");
    if (response.status !== 401) throw new Error(`GET /api/v1/ping without a token answered ${response.status}, not 401`);
    log("ok GET /api/v1/ping answers 401 without a token (set SMOKE_JWT_SECRET for an authenticated call)");
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const baseUrl = process.argv[2] ?? process.env.SMOKE_URL;
  if (!baseUrl) {
    console.error("usage: npm run smoke -- <base-url>   (env: SMOKE_JWT_SECRET, SMOKE_EXPECT_COMMIT, SMOKE_TIMEOUT_SECONDS)");
    process.exit(2);
  }
  try {
    await smokeTest(baseUrl, {
      jwtSecret: process.env.SMOKE_JWT_SECRET || undefined,
      issuer: process.env.JWT_ISSUER || undefined,
      audience: process.env.JWT_AUDIENCE || undefined,
      expectCommit: process.env.SMOKE_EXPECT_COMMIT || undefined,
      timeoutMs: Number(process.env.SMOKE_TIMEOUT_SECONDS ?? 90) * 1000,
    });
    console.log(`smoke test passed: ${baseUrl}`);
  } catch (error) {
    console.error(`smoke test failed: ${baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
