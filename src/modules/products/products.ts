import { defineResource } from "../crud/resource";
import { products } from "./products.table";

/** The products API: the table's fields, with the words, examples and rules a column cannot say. */
export const productResource = defineResource({
  name: "product",
  table: products,
  fields: {
    name: { description: "Display name, 1..200 characters after trimming; not blank.", example: "Espresso cup" },
    description: { description: "Up to 5000 characters, or null.", example: "Porcelain, 90 ml.", max: 5000 },
    priceCents: { description: "Price in the currency's minor unit.", example: 1299, min: 0 },
    currency: {
      description: "ISO 4217 code, upper case.",
      example: "EUR",
      pattern: { regex: /^[A-Z]{3}$/, message: "must be an ISO 4217 code: three upper-case letters" },
    },
    sku: {
      description: "Stock keeping unit, unique across products (case-sensitive).",
      example: "CUP-ESP-90",
      pattern: { regex: /^[A-Za-z0-9._-]{1,64}$/, message: "must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-'" },
    },
  },
  list: {
    sorts: ["name", "priceCents"],
    search: ["name", "sku"],
    filters: [
      { name: "minPrice", field: "priceCents", op: "gte", description: "Lowest priceCents, inclusive; not above `maxPrice` (else 422)." },
      { name: "maxPrice", field: "priceCents", op: "lte", description: "Highest priceCents, inclusive; not below `minPrice` (else 422)." },
      { name: "currency", field: "currency", op: "eq", description: "Only products in this currency." },
    ],
  },
});
