import { describe, expect, it } from "vitest";
import { isoInstant } from "../../src/db/instants";

describe("isoInstant", () => {
  it("rearranges Postgres' UTC text, padding or cutting the fraction to milliseconds", () => {
    expect(isoInstant("2026-11-25 09:04:03.12+00")).toBe("2026-11-25T09:04:03.120Z");
    expect(isoInstant("2026-11-25 09:04:03+00")).toBe("2026-11-25T09:04:03.000Z");
    expect(isoInstant("2026-11-25 09:04:03.123456+00")).toBe("2026-11-25T09:04:03.123Z");
  });

  it("converts text in any other zone to UTC", () => {
    expect(isoInstant("2026-11-25 14:34:03.5+05:30")).toBe("2026-11-25T09:04:03.500Z");
    expect(isoInstant("2026-01-01 00:30:00-03")).toBe("2026-01-01T03:30:00.000Z");
  });

  it("formats a Date a driver already made", () => {
    expect(isoInstant(new Date(Date.UTC(2026, 10, 25, 9, 4, 3, 7)))).toBe("2026-11-25T09:04:03.007Z");
  });

  it("agrees with Date on Postgres' UTC text of many instants", () => {
    for (let i = 0; i < 2000; i++) {
      const instant = new Date(Date.UTC(1970, 0, 1) + Math.floor(Math.random() * 4_000_000_000_000));
      const [day, time] = instant.toISOString().slice(0, -1).split("T") as [string, string];
      // Postgres drops trailing zeros of the fraction, and the fraction itself when it is zero.
      const postgresText = `${day} ${time.replace(/\.?0+$/, "")}+00`;
      expect(isoInstant(postgresText)).toBe(new Date(`${day}T${time}Z`).toISOString());
    }
  });
});
