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
   * Workers, local development and tests only: URL of the local stand-in for
   * Neon's SQL-over-HTTP endpoint (`http://127.0.0.1:PORT/sql`), which reaches a
   * plain Postgres. Unset against Neon: the driver derives Neon's endpoint from DATABASE_URL.
   */
  NEON_HTTP_ENDPOINT: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^/]+\/sql$/, "must be an http(s)://host:port/sql URL")
    .optional(),
  ENVIRONMENT: z.enum(["development", "test", "preview", "production"]).default("development"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Node only: `pretty` prints one short human line per record for local development; Workers always log JSON. */
  LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
  /** Node only: when set, `GET /metrics` needs `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Largest accepted request body in bytes; larger bodies get 413 before parsing. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
  /** Milliseconds `/ready` waits for its one check statement (database up, migrations applied) before answering 503. */
  READY_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2_000),
  /**
   * Budget of one `/api/v1` request: slower ones get 503 (`service_unavailable`).
   * Also caps the statement timeout, so no statement outlives the request by more than one budget.
   */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  /** Node: Postgres `statement_timeout` of every connection (the smaller of this and REQUEST_TIMEOUT_MS + 250 ms). */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  /** Node only: size of the node-postgres pool. */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Node only: how many proxies (load balancers) in front of the server append to
   * X-Forwarded-For. 0 trusts only the socket peer. Used for login limits and logs.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
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
  /**
   * HMAC key for the service's own access tokens (HS256). Required, ≥ 32 characters,
   * outside development and test; there it falls back to a fixed development key.
   */
  JWT_SECRET: z.string().optional(),
  JWT_ISSUER: z.string().min(1).default("product-service"),
  JWT_AUDIENCE: z.string().min(1).default("product-service"),
  /** Lifetime of issued access tokens; role changes take effect when a token expires. */
  JWT_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** External OpenID Connect provider: its JWKS URL turns on acceptance of its tokens. */
  JWT_JWKS_URL: z.url().optional(),
  JWT_EXTERNAL_ISSUER: z.string().min(1).optional(),
  JWT_EXTERNAL_AUDIENCE: z.string().min(1).optional(),
  /** Claim of an external token that carries the role (string, or array of strings). */
  JWT_ROLE_CLAIM: z.string().min(1).default("role"),
  /** Login attempts allowed per account, and per client address, in each window. */
  LOGIN_ATTEMPTS_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(20),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Commit id and version of this build, reported by `/ready`. */
  BUILD_COMMIT: z.string().default("unknown"),
  BUILD_VERSION: z.string().default("0.0.0"),
});

/** Used only when ENVIRONMENT is development or test and no JWT_SECRET is set. */
export const DEVELOPMENT_JWT_SECRET = "development-only-jwt-secret-never-use-in-production";

const productionLike = new Set(["preview", "production"]);

const checkedSchema = configSchema
  .superRefine((config, context) => {
    if (!productionLike.has(config.ENVIRONMENT)) return;
    const secret = config.JWT_SECRET;
    if (secret === undefined) {
      context.addIssue({ code: "custom", path: ["JWT_SECRET"], message: `is required when ENVIRONMENT=${config.ENVIRONMENT}` });
    } else if (secret.length < 32 || secret === DEVELOPMENT_JWT_SECRET || new Set(secret).size < 8) {
      context.addIssue({
        code: "custom",
        path: ["JWT_SECRET"],
        message: "is too weak: use at least 32 random characters (e.g. `openssl rand -base64 48`)",
      });
    }
  })
  .superRefine((config, context) => {
    if (config.JWT_JWKS_URL && !(config.JWT_EXTERNAL_ISSUER && config.JWT_EXTERNAL_AUDIENCE)) {
      context.addIssue({ code: "custom", path: ["JWT_JWKS_URL"], message: "needs JWT_EXTERNAL_ISSUER and JWT_EXTERNAL_AUDIENCE as well" });
    }
  })
  .transform((config) => ({ ...config, JWT_SECRET: config.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET }));

export type Config = z.infer<typeof checkedSchema>;

/** Names of every setting, for documentation checks. */
export const settingNames = Object.keys(configSchema.shape);

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
  const parsed = checkedSchema.safeParse(settings);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}
