// npm run check:bundle: the Worker bundle (`npm run build:worker` writes it to dist/worker) against
// a gzip budget. Workers' own limit is 3 MiB gzip (free) / 10 MiB (paid); the budget is far lower
// because startup time grows with the script, and a jump usually means a dependency pulled in more
// than it gives. Raise it deliberately, in this file, when a change is worth it.
import { appendFile, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

export const BUDGET_GZIP_BYTES = 300 * 1024;

export interface BundleSize {
  files: string[];
  rawBytes: number;
  gzipBytes: number;
}

/** Sums the JavaScript modules in a wrangler --outdir (source maps and the README excluded). */
export async function measureBundle(dir: string): Promise<BundleSize> {
  const files = (await readdir(dir, { recursive: true })).filter((file) => /\.(m?js|cjs|wasm)$/.test(file)).sort();
  if (files.length === 0) throw new Error(`no bundle in ${dir}: run npm run build:worker first`);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const content = await readFile(path.join(dir, file));
    rawBytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files, rawBytes, gzipBytes };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] ?? "dist/worker";
  const size = await measureBundle(dir);
  const line = `Worker bundle: ${kib(size.rawBytes)}, ${kib(size.gzipBytes)} gzip (budget ${kib(BUDGET_GZIP_BYTES)} gzip)`;
  console.log(line);
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) await appendFile(summary, `${line}\n`);
  if (size.gzipBytes > BUDGET_GZIP_BYTES) {
    console.error(`over budget by ${kib(size.gzipBytes - BUDGET_GZIP_BYTES)}: see scripts/check-bundle-size.ts`);
    process.exit(1);
  }
}
