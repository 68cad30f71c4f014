import { corsContract } from "../contract/cors.contract";
import { createWorkerTarget } from "./worker-target";

corsContract(createWorkerTarget({ CORS_ORIGINS: "https://app.example, https://admin.example" }));
