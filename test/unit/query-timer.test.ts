import { describe, expect, it } from "vitest";
import { createQueryTimer } from "../../src/core/query-timer";
import { timeQueries } from "../../src/db/query-timer";

function manualClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function deferred() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe("query timer", () => {
  it("adds up separate queries, counts overlap once and includes one still in flight", async () => {
    const clock = manualClock();
    const timer = createQueryTimer(clock.now);
    const first = deferred();
    const stop = timer.start();
    const tracked = first.promise.then(stop);
    clock.advance(10);
    first.resolve();
    await tracked;
    expect(timer.elapsedMs()).toBe(10);

    clock.advance(100); // time between queries is not database time
    const a = deferred();
    const b = deferred();
    const stopA = timer.start();
    const stopB = timer.start();
    const both = Promise.all([a.promise.then(stopA), b.promise.then(stopB)]);
    clock.advance(5);
    expect(timer.elapsedMs()).toBe(15);
    a.resolve();
    await Promise.resolve();
    clock.advance(5);
    b.resolve();
    await both;
    expect(timer.elapsedMs()).toBe(20);
  });

  it("counts a query that fails or throws, passes the failure on, and stops each query once", async () => {
    const clock = manualClock();
    const timer = createQueryTimer(clock.now);
    const client = timeQueries(
      {
        query: (text: string) => {
          clock.advance(3);
          if (text === "throw") throw new Error("sync");
          return Promise.reject(new Error("boom"));
        },
      },
      timer,
    );
    await expect(client.query("reject")).rejects.toThrow("boom");
    expect(() => client.query("throw")).toThrow("sync");
    expect(timer.elapsedMs()).toBe(6);
    const stop = timer.start();
    clock.advance(1);
    stop();
    stop();
    expect(timer.elapsedMs()).toBe(7);
  });

  it("wraps query and connect (and the connected client's query), leaving the rest alone", async () => {
    const clock = manualClock();
    const timer = createQueryTimer(clock.now);
    class FakeClient {
      name = "client";
      query() {
        clock.advance(2);
        return Promise.resolve("rows");
      }
    }
    class FakePool {
      size = 1;
      query(_text: string, callback?: () => void) {
        if (callback) return undefined;
        clock.advance(4);
        return Promise.resolve("rows");
      }
      connect() {
        clock.advance(1);
        return Promise.resolve(new FakeClient());
      }
      describe() {
        return `pool of ${this.size}`;
      }
    }
    const pool = timeQueries(new FakePool(), timer);
    expect(pool).toBeInstanceOf(FakePool);
    expect(pool.size).toBe(1);
    expect(pool.describe()).toBe("pool of 1");
    expect(pool.query("select 1", () => {})).toBeUndefined();
    await pool.query("select 1");
    const client = await pool.connect();
    expect(client).toBeInstanceOf(FakeClient);
    await client.query();
    // pool.query 4 + connect 1 + client.query 2; the callback-style call counts nothing.
    expect(timer.elapsedMs()).toBe(7);
  });
});
