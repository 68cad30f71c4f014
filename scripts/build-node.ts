// npm run build:node: the Node production build the Docker image runs.
//   dist/server.js   the Node entry (src/server.ts)
//   dist/migrate.js  applies drizzle/ migrations (scripts/migrate.ts): `node dist/migrate.js`
//   dist/seed.js     creates the first admin / demo data (scripts/seed.ts): `node dist/seed.js`
// Our code is bundled into one ESM file per entry; npm packages stay external and come from the
// production install (`npm ci --omit=dev`) next to dist/. Why not bundle them too: the image then
// carries real, versioned packages that `npm audit` and image scanners can see and match against
// advisories (a bundle hides them), their licence files ship as published, and node-postgres' optional
// native binding needs no bundler workaround. The parity test (test/tooling/parity.test.ts) builds
// with this same function and checks that every external import is a production dependency.
import { readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Metafile } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export const NODE_ENTRIES = {
  server: "src/server.ts",
  migrate: "scripts/migrate.ts",
  seed: "scripts/seed.ts",
} as const;

export interface NodeBuild {
  outdir: string;
  /** Output files (relative to outdir) → bytes. */
  files: Record<string, number>;
  /** Bare module specifiers the output imports at run time (packages and node: builtins). */
  externals: string[];
}

/** Bundles the Node entries into `outdir` (dist/ by default) and reports what the output imports. */
export async function buildNode(outdir = path.join(ROOT, "dist")): Promise<NodeBuild> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(NODE_ENTRIES).map(([name, file]) => [name, path.join(ROOT, file)])),
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "external",
    sourcemap: "linked",
    // Readable stack traces matter more in a server than a few kilobytes.
    minify: false,
    legalComments: "linked",
    metafile: true,
    logLevel: "warning",
  });
  return { outdir, ...summarise(result.metafile, outdir) };
}

function summarise(metafile: Metafile, outdir: string): Omit<NodeBuild, "outdir"> {
  const files: Record<string, number> = {};
  const externals = new Set<string>();
  for (const [file, output] of Object.entries(metafile.outputs)) {
    files[path.relative(outdir, path.resolve(ROOT, file))] = output.bytes;
    for (const imported of output.imports) if (imported.external) externals.add(imported.path);
  }
  return { files, externals: [...externals].sort() };
}

/** The package a bare specifier belongs to (`@scope/name/sub` → `@scope/name`); undefined for node builtins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith("node:") || builtinModules.includes(specifier)) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Externals of a build that are not production dependencies in package.json (must be empty). */
export async function nonProductionImports(externals: string[]): Promise<string[]> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  const allowed = new Set(Object.keys(pkg.dependencies ?? {}));
  return externals.filter((specifier) => {
    const name = packageOf(specifier);
    return name !== undefined && !allowed.has(name);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const { files, externals } = await buildNode();
  const stray = await nonProductionImports(externals);
  if (stray.length > 0) {
    console.error(`dist/ imports packages that are not production dependencies: ${stray.join(", ")}. Move them to "dependencies".`);
    process.exit(1);
  }
  const sizes = Object.entries(files)
    .filter(([file]) => file.endsWith(".js"))
    .map(([file, bytes]) => `${file} ${(bytes / 1024).toFixed(1)} KiB`);
  console.log(`build:node: ${sizes.join(", ")} (${Math.round(performance.now() - started)} ms)`);
}
