import { ApiError } from "../../core/errors";
import { isProblemCode, problemCodes, problemTypeDescription } from "../../core/problem-types";
import { createRouter } from "../../core/router";
import { get, list, PROBLEM_TYPES_CACHE_CONTROL } from "./problems.routes";

const cacheable = { "Cache-Control": PROBLEM_TYPES_CACHE_CONTROL };

/** `/problems`: where the `type` of every problem+json answer leads (public, no token). */
export const problemsRouter = createRouter()
  .openapi(list, (c) => c.json({ data: problemCodes.map((code) => problemTypeDescription(code, c.get("publicUrl"))) }, 200, cacheable))
  .openapi(get, (c) => {
    const { code } = c.req.valid("param");
    if (!isProblemCode(code)) throw new ApiError("not_found", `No problem type ${code}.`);
    return c.json(problemTypeDescription(code, c.get("publicUrl")), 200, cacheable);
  });
