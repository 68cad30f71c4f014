import { z } from "zod";

/**
 * Every setting the service reads, for both runtimes. Workers pass `env`
 * (vars, secrets, `.dev.vars`); Node passes `process.env`. Nothing else in the
 * code base reads the environment.
 */
const configSchema = z.object({
  /** Postgres connection string (Neon or any Postgres). Absent: API answers 503 with a hint. */
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  /**
   * Local development and tests only: host:port/path of the WebSocket→TCP bridge
   * the Neon driver uses to reach a plain Postgres. Unset against Neon.
   */
  NEON_WS_PROXY: z.string().trim().min(1).optional(),
  ENVIRONMENT: z.enum(["development", "test", "preview", "production"]).default("development"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Largest accepted request body in bytes; larger bodies get 413 before parsing. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
  /** Milliseconds `/ready` waits for `SELECT 1` before answering 503. */
  READY_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2_000),
  /** Node only: size of the node-postgres pool. */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Node only: TCP port of the HTTP server. */
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Comma-separated origins allowed by CORS; empty means no cross-origin access. */
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim())
        .filter((origin) => origin.length > 0),
    ),
  /** Commit id and version of this build, reported by `/ready`. */
  BUILD_COMMIT: z.string().default("unknown"),
  BUILD_VERSION: z.string().default("0.0.0"),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses settings once; the error names each bad variable and what is wrong with it. */
export function loadConfig(source: Record<string, unknown>): Config {
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = source[key];
    // Treat empty strings as unset so `FOO=` in an env file falls back to the default.
    if (value !== undefined && value !== "") settings[key] = value;
  }
  const parsed = configSchema.safeParse(settings);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}
