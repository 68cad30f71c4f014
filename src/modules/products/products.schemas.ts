import { z } from "@hono/zod-openapi";
import { NO_NUL_PATTERN, NOT_BLANK_NO_NUL_PATTERN, uuidParam } from "../../core/openapi";
import { pageCursorParam, queryInt } from "../../core/query-params";

const noNul = (value: string) => !value.includes("\u0000");
const nulMessage = "must not contain NUL characters";

const name = z.string().trim().min(1).max(200).refine(noNul, nulMessage).openapi({
  description: "Display name, 1..200 characters after trimming; not blank.",
  pattern: NOT_BLANK_NO_NUL_PATTERN,
  example: "Espresso cup",
});
const description = z
  .string()
  .max(5000)
  .refine(noNul, nulMessage)
  .nullable()
  .openapi({ description: "Up to 5000 characters, or null.", pattern: NO_NUL_PATTERN, example: "Porcelain, 90 ml." });
const priceCents = z
  .number()
  .int()
  .min(0)
  .max(2_147_483_647)
  .openapi({ description: "Price in the currency's minor unit.", example: 1299 });
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code: three upper-case letters")
  .openapi({ description: "ISO 4217 code, upper case.", example: "EUR" });
const sku = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-'")
  .openapi({ description: "Stock keeping unit, unique across products (case-sensitive).", example: "CUP-ESP-90" });

export const ProductSchema = z
  .object({
    id: z.uuid().openapi({ example: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f" }),
    name: z.string(),
    description: z.string().nullable(),
    priceCents: z.number().int(),
    currency: z.string(),
    sku: z.string(),
    version: z.number().int().min(1).openapi({ description: "Grows by one on every change." }),
    createdAt: z.iso.datetime().openapi({ example: "2026-11-23T19:50:41.123Z" }),
    updatedAt: z.iso.datetime().openapi({ example: "2026-11-23T19:50:41.123Z" }),
  })
  .openapi("Product");

/** POST body. Server-owned and unknown fields are rejected (422). */
export const CreateProductSchema = z
  .strictObject({
    name,
    description: description.optional(),
    priceCents,
    currency: currency.optional(),
    sku,
  })
  .openapi("CreateProduct");

/** PUT body: a full replacement; omitted optional fields return to their defaults (description null, currency USD). */
export const ReplaceProductSchema = CreateProductSchema.openapi("ReplaceProduct");

/**
 * PATCH body, a JSON merge patch (RFC 7396): present fields are set, `description: null`
 * clears it; the other fields cannot be null because they are required.
 */
export const PatchProductSchema = z
  .strictObject({
    name: name.optional(),
    description: description.optional(),
    priceCents: priceCents.optional(),
    currency: currency.optional(),
    sku: sku.optional(),
  })
  .openapi("ProductMergePatch");

export const productSorts = ["createdAt", "-createdAt", "name", "-name", "priceCents", "-priceCents"] as const;
export type ProductSort = (typeof productSorts)[number];

export const ListProductsQuerySchema = z
  .object({
    limit: queryInt(1, 100)
      .optional()
      .openapi({
        param: { description: "Page size, 1..100 (default 20)." },
        type: "integer",
        minimum: 1,
        maximum: 100,
        default: 20,
        example: 20,
      }),
    cursor: pageCursorParam,
    sort: z
      .enum(productSorts)
      .optional()
      .openapi({ param: { description: "Sort key; `-` for descending (default `-createdAt`)." } }),
    q: z
      .string()
      .min(1)
      .max(200)
      .refine(noNul, nulMessage)
      .optional()
      .openapi({ param: { description: "Case-insensitive substring of name or sku." }, pattern: NO_NUL_PATTERN }),
    minPrice: queryInt(0, 2_147_483_647)
      .optional()
      .openapi({
        param: { description: "Lowest priceCents, inclusive; not above `maxPrice` (else 422)." },
        type: "integer",
        minimum: 0,
        maximum: 2_147_483_647,
      }),
    maxPrice: queryInt(0, 2_147_483_647)
      .optional()
      .openapi({
        param: { description: "Highest priceCents, inclusive; not below `minPrice` (else 422)." },
        type: "integer",
        minimum: 0,
        maximum: 2_147_483_647,
      }),
    currency: currency.optional().openapi({ param: { description: "Only products in this currency." } }),
  })
  .refine((query) => query.minPrice === undefined || query.maxPrice === undefined || query.minPrice <= query.maxPrice, {
    message: "minPrice must not be greater than maxPrice",
    path: ["minPrice"],
  });

export type ListProductsQuery = z.infer<typeof ListProductsQuerySchema>;

export const ProductPageSchema = z
  .object({
    data: z.array(ProductSchema),
    nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last page." }),
  })
  .openapi("ProductPage");

export const ProductIdParamsSchema = z.object({ id: uuidParam("Product id (UUID).") });

export type Product = z.infer<typeof ProductSchema>;
export type CreateProductInput = z.infer<typeof CreateProductSchema>;
export type PatchProductInput = z.infer<typeof PatchProductSchema>;
