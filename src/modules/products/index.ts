import { createRouter } from "../../core/router";
import { createProduct, getProduct, listProducts, patchProduct, removeProduct, replaceProduct } from "./products.handlers";
import { create, getById, list, patch, remove, replace } from "./products.routes";

export const productsRouter = createRouter()
  .openapi(list, listProducts)
  .openapi(create, createProduct)
  .openapi(getById, getProduct)
  .openapi(replace, replaceProduct)
  .openapi(patch, patchProduct)
  .openapi(remove, removeProduct);
