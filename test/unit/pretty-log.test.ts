import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger";
import { formatPretty } from "../../src/core/pretty-log";

describe("pretty log format", () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, logger: createLogger("debug", (line) => lines.push(line), formatPretty) };
  };

  it("prints a request as time, status, method, path, duration, db time and request id", () => {
    const { lines, logger } = capture();
    logger.info("request", {
      requestId: "r-1",
      method: "GET",
      route: "/api/v1/products/:id",
      path: "/api/v1/products/7",
      status: 404,
      durationMs: 3.25,
      dbTimeMs: 1.5,
    });
    expect(lines).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} 404 GET \/api\/v1\/products\/7 3\.25ms db 1\.5ms r-1$/)]);
  });

  it("prints other records as LEVEL message key=value, an error's stack on its own lines, and redacts like JSON", () => {
    const { lines, logger } = capture();
    logger.warn("login refused", {
      email: "a@example.com",
      password: "hunter2",
      headers: { authorization: "Bearer abc.def" },
      skipped: undefined,
    });
    logger.error("unhandled error", { requestId: "r-2", error: new Error("kaput") });
    logger.error("odd failure", { error: "not an Error" });
    const [warn = "", error = "", odd = ""] = lines;
    expect(warn).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} WARN login refused email=a@example\.com password=\[redacted\] headers=\{"authorization":"\[redacted\]"\}$/,
    );
    expect(lines.join("\n")).not.toMatch(/hunter2|abc\.def/);
    expect(error).toMatch(/ ERROR unhandled error requestId=r-2 \nError: kaput\n\s+at /);
    expect(odd).toMatch(/ ERROR odd failure error=not an Error$/);
  });

  it("escapes control characters, so a decoded %0A in a path cannot forge a line", () => {
    const { lines, logger } = capture();
    const forged = "/api/v1/products/x\n12:00:00.000 200 GET /admin 1ms db 0ms forged\r\u001b[31m";
    logger.info("request", { requestId: "r-3", method: "GET", path: forged, status: 404, durationMs: 1, dbTimeMs: 0 });
    logger.warn("odd input", { q: "a\nb" });
    expect(lines).toHaveLength(2);
    expect(lines.join("")).not.toMatch(/[\n\r]/);
    expect(lines.join("").includes("\u001b")).toBe(false);
    expect(lines[0]).toContain("/api/v1/products/x\\u000a12:00:00.000 200 GET /admin 1ms db 0ms forged\\u000d\\u001b[31m");
    expect(lines[1]).toMatch(/ WARN odd input q=a\\u000ab$/);
  });
});
