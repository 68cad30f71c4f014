// tsx scripts/copy-docs-assets.ts: copies the Swagger UI and ReDoc bundles from node_modules into
// public/vendor/ (git-ignored), where Workers static assets and src/node/static-assets.ts serve them.
// Idempotent and fast: a file whose bytes are already in place is not rewritten.
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DOCS_ASSET_VERSIONS } from "../src/core/docs";

interface VendorFile {
  /** Path inside the package. */
  from: string;
  /** File name under public/vendor/<dir>/; defaults to the base name of `from`. */
  to?: string;
  /** Exact text replacements, each of which must occur exactly once (so an upgrade that moves them fails loudly). */
  patches?: { find: string; replace: string; why: string }[];
}

interface VendorPackage {
  name: keyof typeof DOCS_ASSET_VERSIONS;
  dir: string;
  files: VendorFile[];
}

const PACKAGES: VendorPackage[] = [
  {
    name: "swagger-ui-dist",
    dir: "swagger-ui",
    files: [
      { from: "swagger-ui-bundle.js" },
      { from: "swagger-ui-bundle.js.LICENSE.txt" },
      { from: "swagger-ui.css" },
      { from: "favicon-32x32.png" },
      { from: "LICENSE", to: "LICENSE.txt" },
      { from: "NOTICE", to: "NOTICE.txt" },
    ],
  },
  {
    name: "redoc",
    dir: "redoc",
    files: [
      {
        from: "bundles/redoc.standalone.js",
        patches: [
          {
            find: 'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"',
            replace: 'src:""',
            why: "the side menu's footer logo is fetched from Redocly's CDN; an empty src fails locally and ReDoc hides the image",
          },
        ],
      },
      { from: "bundles/redoc.standalone.js.LICENSE.txt" },
      { from: "LICENSE", to: "LICENSE.txt" },
    ],
  },
];

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const VENDOR_DIR = path.join(ROOT, "public", "vendor");

export interface CopyResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

/** Brings public/vendor/ in line with the installed packages; returns what it touched. */
export async function copyDocsAssets(vendorDir = VENDOR_DIR): Promise<CopyResult> {
  const require = createRequire(path.join(ROOT, "package.json"));
  const result: CopyResult = { written: [], unchanged: [], removed: [] };

  for (const pkg of PACKAGES) {
    const packageJson = require.resolve(`${pkg.name}/package.json`);
    const { version } = JSON.parse(await readFile(packageJson, "utf8")) as { version: string };
    const expected = DOCS_ASSET_VERSIONS[pkg.name];
    if (version !== expected) {
      throw new Error(
        `${pkg.name} ${version} is installed but src/core/docs.ts names ${expected} in the asset URLs: update DOCS_ASSET_VERSIONS (the URLs are cached as immutable).`,
      );
    }
    const sourceDir = path.dirname(packageJson);
    const targetDir = path.join(vendorDir, pkg.dir);
    await mkdir(targetDir, { recursive: true });

    const wanted = new Set<string>();
    for (const file of pkg.files) {
      const name = file.to ?? path.basename(file.from);
      wanted.add(name);
      const target = path.join(targetDir, name);
      const content = applyPatches(await readFile(path.join(sourceDir, file.from)), file, pkg.name);
      const current = await readFile(target).catch(() => undefined);
      if (current?.equals(content)) {
        result.unchanged.push(target);
      } else {
        await writeFile(target, content);
        result.written.push(target);
      }
    }
    for (const entry of await readdir(targetDir)) {
      if (wanted.has(entry)) continue;
      await rm(path.join(targetDir, entry), { recursive: true, force: true });
      result.removed.push(path.join(targetDir, entry));
    }
  }
  return result;
}

function applyPatches(content: Buffer, file: VendorFile, pkg: string): Buffer {
  if (!file.patches?.length) return content;
  let text = content.toString("utf8");
  for (const patch of file.patches) {
    const count = text.split(patch.find).length - 1;
    if (count !== 1) {
      throw new Error(`${pkg}/${file.from}: expected "${patch.find}" once, found it ${count} times. Review the patch (${patch.why}).`);
    }
    text = text.replace(patch.find, () => patch.replace);
  }
  return Buffer.from(text, "utf8");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const { written, unchanged, removed } = await copyDocsAssets();
  const ms = Math.round(performance.now() - started);
  console.log(`docs assets: ${written.length} written, ${unchanged.length} unchanged, ${removed.length} removed (${ms} ms)`);
}
