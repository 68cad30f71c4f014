// npm run lint:openapi (part of `npm run check`): Redocly CLI lints the OpenAPI document exactly as the
// service serves it at /openapi.json, with the rule set in redocly.yaml. The document is built in
// process from createApp: no server, no database, no network.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const app = createApp({ config: loadConfig({ ENVIRONMENT: "test", LOG_LEVEL: "silent" }) });
const response = await app.request("/openapi.json");
if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);

const dir = mkdtempSync(path.join(tmpdir(), "openapi-lint-"));
try {
  const document = path.join(dir, "openapi.json");
  writeFileSync(document, JSON.stringify(await response.json(), null, 2));
  const cli = path.join(root, "node_modules/@redocly/cli/bin/cli.js");
  const lint = spawnSync(process.execPath, [cli, "lint", document, "--config", path.join(root, "redocly.yaml"), "--format", "stylish"], {
    stdio: "inherit",
    // Offline and quiet: no usage data sent, no update check.
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  });
  process.exitCode = lint.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
