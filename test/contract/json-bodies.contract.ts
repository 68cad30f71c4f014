import { describe, expect, it } from "vitest";
import { type ContractTarget, countUsers, json, uniqueTag, userInput } from "./target";

const encoder = new TextEncoder();

/** Bytes of `before`, then `raw` as they are, then `after`: how a client sends what is not UTF-8. */
const bytesAround = (before: string, raw: number[], after: string) =>
  new Uint8Array([...encoder.encode(before), ...raw, ...encoder.encode(after)]);

/** Delivers the bytes in two chunks, without a Content-Length: a chunked body. */
const streamed = (bytes: Uint8Array) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, 10));
      controller.enqueue(bytes.slice(10));
      controller.close();
    },
  });

/** JSON bodies must be Unicode text: invalid UTF-8 and lone surrogate escapes are refused, never stored as U+FFFD. */
export function jsonBodiesContract(target: ContractTarget) {
  const post = (body: BodyInit, contentType = "application/json") =>
    target.fetch("/api/v1/users", { method: "POST", headers: { "content-type": contentType }, body, duplex: "half" } as RequestInit);
  const refused = async (response: Response, detail: RegExp) => {
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 400, code: "bad_request", detail: expect.stringMatching(detail) });
  };
  /** A create body whose password is `middle` between ordinary text, as JSON text. */
  const userJsonText = (tag: string, middle: string) =>
    `{"email":"${tag}@test.example","role":"viewer","password":"a long enough password ${middle}"}`;

  describe(`JSON bodies are Unicode text (${target.runtime})`, () => {
    it.each([
      ["a byte that starts no character", [0xff]],
      ["a truncated sequence", [0xc3]],
      ["an overlong encoding", [0xc0, 0xaf]],
      ["an encoded surrogate", [0xed, 0xa0, 0x80]],
    ])("refuses invalid UTF-8 (%s) with 400 and creates nothing", async (_, raw) => {
      const tag = uniqueTag();
      const [before, after] = userJsonText(tag, "|").split("|") as [string, string];
      await refused(await post(bytesAround(before, raw, after)), /UTF-8/);
      await refused(await post(streamed(bytesAround(before, raw, after)), "application/json; charset=utf-8"), /UTF-8/);
      expect(await countUsers(target, tag)).toBe(0);
    });

    it.each([
      ["a lone high surrogate", "\\ud800"],
      ["a lone low surrogate", "\\uDC00"],
      ["a pair in the wrong order", "\\udc00\\ud800"],
      ["a high surrogate before another escape", "\\ud83d\\n"],
      ["a high surrogate at the end of a string", "\\ud83d"],
    ])("refuses %s escape with 400 and creates nothing", async (_, escaped) => {
      const tag = uniqueTag();
      await refused(await post(userJsonText(tag, escaped)), /surrogate/);
      expect(await countUsers(target, tag)).toBe(0);
    });

    it("accepts a surrogate pair, an escaped backslash before `ud800`, and raw UTF-8", async () => {
      const tag = uniqueTag();
      const response = await post(userJsonText(tag, "\\ud83d\\ude00 \\\\ud800 é😀"));
      expect(response.status, await response.clone().text()).toBe(201);
      expect(await countUsers(target, tag)).toBe(1);
    });

    it("refuses a merge patch that is not UTF-8 and changes nothing", async () => {
      const created = await target.fetch("/api/v1/users", json(userInput(uniqueTag())));
      expect(created.status).toBe(201);
      const user = (await created.json()) as { id: string };
      const path = `/api/v1/users/${user.id}`;
      const patch = (body: BodyInit) =>
        target.fetch(path, { method: "PATCH", headers: { "content-type": "application/merge-patch+json" }, body });
      await refused(await patch(bytesAround('{"password":"a long enough password ', [0xfe], '"}')), /UTF-8/);
      await refused(await patch('{"password":"a long enough password \\udfff"}'), /surrogate/);
      expect(await (await target.fetch(path)).json()).toEqual(user);
    });
  });
}
