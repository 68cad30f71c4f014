import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { batchedLineSink } from "../../src/node/stdout-sink";

const root = path.resolve(import.meta.dirname, "../..");

describe("batchedLineSink", () => {
  it("writes the lines of one event-loop turn in one write, in order, before the next turn ends", async () => {
    const writes: string[] = [];
    const sink = batchedLineSink({ write: (text: string) => writes.push(text) });
    sink("one");
    sink("two");
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(["one\ntwo\n"]);
    sink("three");
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(["one\ntwo\n", "three\n"]);
  });

  it("loses no line when the process exits in the same turn", async () => {
    const script = `
      import { batchedLineSink } from "./src/node/stdout-sink.ts";
      const sink = batchedLineSink();
      sink("last words");
      process.exit(3);
    `;
    const child = await promisify(execFile)(path.join(root, "node_modules/.bin/tsx"), ["--eval", script], { cwd: root }).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect(child).toMatchObject({ code: 3, stdout: "last words\n" });
  });
});
