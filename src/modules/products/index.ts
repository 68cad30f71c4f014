import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/context";
import { validationHook } from "../../core/validation";
import { createProduct, getProduct, listProducts, patchProduct, removeProduct, replaceProduct } from "./products.handlers";
import { create, getById, list, patch, remove, replace } from "./products.routes";

export const productsRouter = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(list, listProducts)
  .openapi(create, createProduct)
  .openapi(getById, getProduct)
  .openapi(replace, replaceProduct)
  .openapi(patch, patchProduct)
  .openapi(remove, removeProduct);
