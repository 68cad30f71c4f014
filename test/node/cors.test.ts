import { afterAll } from "vitest";
import { corsContract } from "../contract/cors.contract";
import { createNodeTarget } from "./app-target";

const target = createNodeTarget({ CORS_ORIGINS: "https://app.example, https://admin.example" });
afterAll(() => target.database.close());

corsContract(target);
