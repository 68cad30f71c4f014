import { resourceRouter } from "../crud/router";
import { productResource } from "./products";

export const productsRouter = resourceRouter(productResource);
