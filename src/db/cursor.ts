import type { z } from "zod";
import { toBase64Url } from "../core/base64url";
import { InvalidCursor } from "../core/domain-errors";

function fromBase64Url(value: string): string {
  const base64 = value.replaceAll("-", "+").replaceAll("_", "/");
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
}

/** Opaque to clients: base64url JSON. Integrity comes from strict decoding, not secrecy. */
export const encodeCursor = (payload: unknown): string => toBase64Url(new TextEncoder().encode(JSON.stringify(payload)));

/** Decodes a cursor against the shape it must have; anything else is an `InvalidCursor`. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error("not base64url");
    json = JSON.parse(fromBase64Url(cursor));
  } catch {
    throw new InvalidCursor("is not a cursor this API issued");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new InvalidCursor("is not a cursor this API issued");
  return parsed.data;
}
