import { ConfigError } from "./config";
import { startServer } from "./node/start-server";

// Node entry (Docker, self-hosting). A bad setting stops the process with a message naming it.
try {
  const server = await startServer(process.env);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void server.shutdown(signal).then(() => process.exit(0));
    });
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
