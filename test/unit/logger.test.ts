import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger";

describe("logger", () => {
  const capture = (level: Parameters<typeof createLogger>[0]) => {
    const lines: string[] = [];
    return { lines, logger: createLogger(level, (line) => lines.push(line)) };
  };

  it("writes one JSON object per line with time, level and message", () => {
    const { lines, logger } = capture("debug");
    logger.info("hello", { requestId: "r1", status: 200 });
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] ?? "");
    expect(record).toMatchObject({ level: "info", message: "hello", requestId: "r1", status: 200 });
    expect(Date.parse(record.time)).not.toBeNaN();
  });

  it("drops lines below the configured level", () => {
    const { lines, logger } = capture("warn");
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(lines.map((line) => JSON.parse(line).level)).toEqual(["warn", "error"]);
    const silent = capture("silent");
    silent.logger.error("nothing");
    expect(silent.lines).toEqual([]);
  });

  it("redacts secrets wherever they appear and serialises errors with their stack", () => {
    const { lines, logger } = capture("info");
    logger.error("boom", {
      headers: { Authorization: "Bearer abc.def.ghi", cookie: "session=1", accept: "json" },
      body: { password: "hunter2", nested: [{ accessToken: "t0k" }] },
      DATABASE_URL: "postgres://user:pw@host/db",
      error: new Error("kaput"),
    });
    const line = lines[0] ?? "";
    for (const secret of ["abc.def.ghi", "session=1", "hunter2", "t0k", "user:pw"]) expect(line).not.toContain(secret);
    const record = JSON.parse(line);
    expect(record.headers.accept).toBe("json");
    expect(record.error).toMatchObject({ name: "Error", message: "kaput" });
    expect(record.error.stack).toContain("logger.test.ts");
  });
});
