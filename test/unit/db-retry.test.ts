// Unit test of the dropped-connection retry: constructed errors, no database.
import { describe, expect, it } from "vitest";
import { isDroppedConnection } from "../../src/db/errors";
import { retryIfDropped } from "../../src/db/retry";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const dropped = new Error("Failed query: insert …", { cause: withCode("terminating connection due to administrator command", "57P01") });

describe("dropped connections", () => {
  it.each([
    ["admin shutdown (pg_terminate_backend)", dropped],
    ["reset", withCode("read ECONNRESET", "ECONNRESET")],
    ["connection failure", withCode("connection failure", "08006")],
    ["terminated", new Error("Failed query", { cause: new Error("Connection terminated unexpectedly") })],
    ["a dead pooled client", new Error("Client has encountered a connection error and is not queryable")],
  ])("counts %s as dropped", (_, error) => {
    expect(isDroppedConnection(error)).toBe(true);
  });

  it.each([
    ["refused (the database is down: a repeat only repeats it)", withCode("connect ECONNREFUSED 127.0.0.1:1", "ECONNREFUSED")],
    ["statement timeout", withCode("canceling statement due to statement timeout", "57014")],
    ["unique violation", withCode("duplicate key", "23505")],
    ["a plain bug", new TypeError("x is undefined")],
  ])("does not count %s", (_, error) => {
    expect(isDroppedConnection(error)).toBe(false);
  });

  it("repeats work whose connection dropped, at most three times, and nothing else", async () => {
    let calls = 0;
    await expect(
      retryIfDropped(async () => {
        calls++;
        if (calls < 3) throw dropped;
        return "done";
      }),
    ).resolves.toBe("done");
    expect(calls).toBe(3);

    calls = 0;
    await expect(
      retryIfDropped(async () => {
        calls++;
        throw dropped;
      }),
    ).rejects.toBe(dropped);
    expect(calls).toBe(4);

    calls = 0;
    const refused = withCode("connect ECONNREFUSED", "ECONNREFUSED");
    await expect(
      retryIfDropped(async () => {
        calls++;
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(calls).toBe(1);
  });
});
