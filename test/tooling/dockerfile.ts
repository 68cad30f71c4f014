import { readFile } from "node:fs/promises";
import path from "node:path";

export interface DockerInstruction {
  keyword: string;
  args: string;
}

export interface DockerStage {
  /** The base image with build arguments resolved. */
  image: string;
  name: string | undefined;
  instructions: DockerInstruction[];
}

/** Enough of a Dockerfile parser for our checks: continuation lines joined, comments dropped, ARG defaults resolved in FROM. */
export function parseDockerfile(text: string): DockerStage[] {
  const lines = text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const globalArgs = new Map<string, string>();
  const stages: DockerStage[] = [];
  for (const line of lines) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    const upper = keyword.toUpperCase();
    if (upper === "FROM") {
      const [image = "", as, name] = rest;
      const resolved = image.replace(/\$\{?(\w+)\}?/g, (_, variable: string) => globalArgs.get(variable) ?? "");
      stages.push({ image: resolved, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      if (upper === "ARG") {
        const [variable = "", value = ""] = args.split("=");
        globalArgs.set(variable, value);
      }
    } else {
      stages.at(-1)?.instructions.push({ keyword: upper, args });
    }
  }
  return stages;
}

/** What the image runs: the production `npm ci` arguments and the final stage's CMD. */
export async function dockerRuntime(root: string): Promise<{ stages: DockerStage[]; installArgs: string[]; cmd: string[] }> {
  const stages = parseDockerfile(await readFile(path.join(root, "Dockerfile"), "utf8"));
  const install = stages
    .flatMap((stage) => stage.instructions)
    .filter((instruction) => instruction.keyword === "RUN")
    .map((instruction) => instruction.args.match(/npm ci (--omit=dev[^&|;]*)/)?.[1])
    .find((match) => match !== undefined);
  const cmd = stages.at(-1)?.instructions.findLast((instruction) => instruction.keyword === "CMD")?.args;
  if (!install || !cmd?.startsWith("["))
    throw new Error("Dockerfile: needs a `npm ci --omit=dev …` RUN and an exec-form CMD in the final stage");
  return { stages, installArgs: ["ci", ...install.trim().split(/\s+/)], cmd: JSON.parse(cmd) as string[] };
}
