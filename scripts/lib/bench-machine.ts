import os from "node:os";

/** What a result file says of the machine it was measured on. */
export function describeMachine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? "unknown", node: process.versions.node, platform: process.platform };
}
