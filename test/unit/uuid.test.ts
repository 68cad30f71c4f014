import { describe, expect, it } from "vitest";
import { isUuid, uuidv7 } from "../../src/core/uuid";

const version7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("uuidv7", () => {
  it("is an RFC 9562 version 7 UUID carrying the time in its first 48 bits", () => {
    const now = Date.UTC(2026, 10, 25, 9, 4, 3, 123);
    const id = uuidv7(now);
    expect(id).toMatch(version7);
    expect(isUuid(id)).toBe(true);
    expect(Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBe(now);
    expect(uuidv7(1)).toMatch(/^00000000-0001-7/);
  });

  it("sorts by time, and differs within one millisecond", () => {
    const now = Date.now();
    expect(uuidv7(now) < uuidv7(now + 1)).toBe(true);
    const ids = Array.from({ length: 10_000 }, () => uuidv7(now));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(version7);
  });
});
