/**
 * The unprivileged user Postgres runs as when this process is root
 * (Postgres refuses to run as root), and handing files over to it.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

export interface RunAsUser {
  name: string;
  uid: number;
  gid: number;
}

/** uid/gid of the `postgres` user, else `nobody`, from /etc/passwd. */
export async function findUnprivilegedUser(): Promise<RunAsUser> {
  const passwd = await fs.readFile("/etc/passwd", "utf8");
  const users = new Map<string, RunAsUser>();
  for (const line of passwd.split("\n")) {
    // name:password:uid:gid:gecos:home:shell
    const [name, , uid, gid] = line.split(":");
    if (name === undefined || uid === undefined || gid === undefined) continue;
    const parsed = { name, uid: Number(uid), gid: Number(gid) };
    if (Number.isInteger(parsed.uid) && Number.isInteger(parsed.gid) && parsed.uid !== 0) {
      users.set(name, parsed);
    }
  }
  const user = users.get("postgres") ?? users.get("nobody");
  if (user === undefined) {
    throw new Error(
      "Running as root, but neither a 'postgres' nor a 'nobody' user exists to run Postgres as " +
        "(Postgres refuses to run as root). Create one, e.g. `useradd --system postgres`.",
    );
  }
  return user;
}

/** `chown -R` without following symlinks. */
export async function chownRecursive(dir: string, user: RunAsUser): Promise<void> {
  await fs.lchown(dir, user.uid, user.gid);
  for (const entry of await fs.readdir(dir, { recursive: true })) {
    await fs.lchown(path.join(dir, entry), user.uid, user.gid);
  }
}
