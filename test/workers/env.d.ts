// Bindings the vitest integration gives the test Worker (see vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    ENVIRONMENT: string;
    LOG_LEVEL: string;
  }
}
