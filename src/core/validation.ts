import type { Hook } from "@hono/zod-openapi";
import type { z } from "zod";
import type { AppEnv } from "./context";
import { type FieldError, validationFailed } from "./errors";
import { isServerOwned } from "./server-owned";

const where: Record<string, string> = {
  json: "request body",
  query: "query string",
  param: "path",
  header: "headers",
  form: "form body",
};

/** Flattens zod issues into the contract's `errors[]` (dotted paths, stable codes). */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = base ? `${base}.${key}` : key;
        errors.push(
          // Fields the server owns get a precise message, not "unknown field".
          isServerOwned(key) && !base
            ? { path, code: "read_only", message: `${key} is set by the server and cannot be written.` }
            : { path, code: "unknown_field", message: `${key} is not a known field.` },
        );
      }
      continue;
    }
    errors.push({ path: base || "(root)", code: issue.code, message: issue.message });
  }
  return errors;
}

/** The hook every OpenAPI route uses: a failed validation becomes a 422 problem. */
export const validationHook: Hook<unknown, AppEnv, string, undefined> = (result) => {
  if (!result.success) {
    throw validationFailed(toFieldErrors(result.error), `The ${where[result.target] ?? result.target} is not valid.`);
  }
};
