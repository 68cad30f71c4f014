import type { z } from "zod";
import { toBase64Url } from "./base64url";
import { validationFailed } from "./errors";

function fromBase64Url(value: string): string {
  const base64 = value.replaceAll("-", "+").replaceAll("_", "/");
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
}

/** Opaque to clients: base64url JSON. Integrity comes from strict decoding, not secrecy. */
export const encodeCursor = (payload: unknown): string => toBase64Url(new TextEncoder().encode(JSON.stringify(payload)));

/** Decodes a cursor against the shape it must have; anything else is a 422 on `cursor`. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error("not base64url");
    json = JSON.parse(fromBase64Url(cursor));
  } catch {
    throw invalidCursor("is not a cursor this API issued");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw invalidCursor("is not a cursor this API issued");
  return parsed.data;
}

export const invalidCursor = (why: string) =>
  validationFailed([{ path: "cursor", code: "invalid_cursor", message: `cursor ${why}.` }], "The query string is not valid.");
