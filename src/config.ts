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
  /**
   * No default: development's fallback secret is published in this repository, so a
   * deploy that forgot to say where it runs (e.g. `wrangler deploy` without `--env`)
   * must refuse to start rather than become development.
   */
  ENVIRONMENT: z.enum(["development", "test", "preview", "production"], {
    error: (issue) => (issue.input === undefined ? "is required: development or test locally, preview or production deployed" : undefined),
  }),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Node only: `pretty` prints one short human line per record for local development; Workers always log JSON. */
  LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
  /** Node only: `GET /metrics` needs `Authorization: Bearer <METRICS_TOKEN>`; required outside development and test. */
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
   * The service's public base URL (e.g. `https://api.example.com`): problem `type`s become
   * `<PUBLIC_URL>/problems/<code>`, and the relative `/problems/<code>` without it. Never taken
   * from the request's Host header, which any client can set.
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .refine((url) => new URL(url).search === "" && new URL(url).hash === "", "must have no query or fragment")
    .transform((url) => url.replace(/\/+$/, ""))
    .optional(),
  /**
   * HMAC key for the service's own access tokens (HS256). Required, ≥ 32 characters,
   * outside development and test; there it falls back to a fixed development key.
   */
  JWT_SECRET: z.string().optional(),
  JWT_ISSUER: z.string().min(1).default("product-service"),
  JWT_AUDIENCE: z.string().min(1).default("product-service"),
  /**
   * Lifetime of issued access tokens. Admin operations check the stored role at once; everything
   * else trusts the token's role until it expires, so this bounds how long a role change takes there.
   */
  JWT_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(3600).default(300),
  /** Lifetime of a refresh token; each use replaces it with a new one that lives as long again. */
  REFRESH_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().min(300).max(7_776_000).default(1_209_600),
  /** External OpenID Connect provider: its JWKS URL turns on acceptance of its tokens. */
  JWT_JWKS_URL: z.url().optional(),
  JWT_EXTERNAL_ISSUER: z.string().min(1).optional(),
  JWT_EXTERNAL_AUDIENCE: z.string().min(1).optional(),
  /** Claim of an external token that carries the role (string, or array of strings). */
  JWT_ROLE_CLAIM: z.string().min(1).default("role"),
  /**
   * `typ` header the IdP puts on its access tokens (RFC 9068: `at+jwt`); when set, tokens with
   * another `typ` are refused, so an ID token (whose `aud` may be this API's client id) cannot
   * pass as an access token. Unset: not checked, because many IdPs mark both kinds `JWT`.
   */
  JWT_EXTERNAL_TYP: z.string().min(1).optional(),
  /**
   * Failed logins for one account from one client address, and from one address whatever the account,
   * before that pair or address has to wait (LOGIN_BACKOFF_*). Successful logins never count.
   */
  LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(20),
  /** The first wait once the free failures are spent; it doubles with each further failure, up to the maximum. */
  LOGIN_BACKOFF_SECONDS: z.coerce.number().int().min(1).max(3600).default(1),
  LOGIN_BACKOFF_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /**
   * Password hashes computed at once per process (Node) or isolate (Workers): login, user create, password
   * change. Past it the request gets 503 with Retry-After rather than queueing (see core/auth/password.ts).
   */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** Commit id and version of this build, reported by `/ready`. */
  BUILD_COMMIT: z.string().default("unknown"),
  BUILD_VERSION: z.string().default("0.0.0"),
});

/** Used only when ENVIRONMENT is development or test and no JWT_SECRET is set. */
export const DEVELOPMENT_JWT_SECRET = "development-only-jwt-secret-never-use-in-production";

/** The only environments with fallbacks (secret, open /metrics, plain http); any other is held to production's rules. */
const developmentLike = new Set(["development", "test"]);

const checkedSchema = configSchema
  .superRefine((config, context) => {
    if (developmentLike.has(config.ENVIRONMENT)) return;
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
  .superRefine((config, context) => {
    // Over plain http anyone on the path could swap the IdP's keys (JWKS) or the links in every error (PUBLIC_URL).
    if (developmentLike.has(config.ENVIRONMENT)) return;
    for (const name of ["JWT_JWKS_URL", "PUBLIC_URL"] as const) {
      const url = config[name];
      if (url !== undefined && new URL(url).protocol !== "https:") {
        context.addIssue({ code: "custom", path: [name], message: `must be an https:// URL when ENVIRONMENT=${config.ENVIRONMENT}` });
      }
    }
  })
  .transform((config) => ({ ...config, JWT_SECRET: config.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET }));

export type Config = z.infer<typeof checkedSchema>;

/** Names of every setting, for documentation checks. */
export const settingNames = Object.keys(configSchema.shape);

export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface LoadOptions {
  /** The Node entry serves `GET /metrics` (the Worker has none): outside development and test it needs METRICS_TOKEN. */
  servesMetrics?: boolean;
}

/** Parses settings once; the error names each bad variable and what is wrong with it. */
export function loadConfig(source: Record<string, unknown>, options: LoadOptions = {}): Config {
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = source[key];
    // Treat empty strings as unset so `FOO=` in an env file falls back to the default.
    if (value !== undefined && value !== "") settings[key] = value;
  }
  const parsed = checkedSchema.safeParse(settings);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  const environment = configSchema.shape.ENVIRONMENT.safeParse(settings.ENVIRONMENT).data;
  if (options.servesMetrics && environment !== undefined && !developmentLike.has(environment) && settings.METRICS_TOKEN === undefined) {
    // Request counts, routes and pool state are for the operator, not for whoever can reach the port.
    problems.push(`METRICS_TOKEN: is required when ENVIRONMENT=${environment} (it guards GET /metrics)`);
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  return parsed.data;
}
