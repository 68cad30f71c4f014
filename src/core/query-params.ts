import { z } from "@hono/zod-openapi";

/**
 * A whole number in a query string, `min..max` (within ±2^53); anything else is a 422 naming the parameter.
 * A sign is taken only where `min` is negative.
 */
export const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(min < 0 ? /^-?\d{1,16}$/ : /^\d{1,16}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** `cursor` of every keyset list: opaque, and only valid with the sort and filters it was made for. */
export const pageCursorParam = z
  .string()
  .max(1024)
  .optional()
  .openapi({
    param: { description: "Opaque cursor from `nextCursor`; valid only with the sort and filters it was made for (else 422)." },
    pattern: "^[A-Za-z0-9_-]+$",
  });

/** `limit` of every keyset list: 1..100, 20 when absent (the repositories' default). */
export const pageLimitParam = queryInt(1, 100)
  .optional()
  .openapi({
    param: { description: "Page size, 1..100 (default 20)." },
    type: "integer",
    minimum: 1,
    maximum: 100,
    default: 20,
    example: 20,
  });

/** `sort` of every keyset list: a key ascending, or `-key` descending; `-createdAt` when absent. */
export const sortParam = <Sort extends string>(sorts: readonly [Sort, ...Sort[]]) =>
  z
    .enum(sorts)
    .optional()
    .openapi({ param: { description: "Sort key; `-` for descending (default `-createdAt`)." } });
