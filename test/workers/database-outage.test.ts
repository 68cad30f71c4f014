import { inject } from "vitest";
import { z } from "zod";
import { outageContract } from "../contract/outage.contract";
import { openRemoteSession } from "./remote-session";
import { createWorkerTarget } from "./worker-target";

// workerd cannot stop a process: the global setup's control endpoint stops and starts a Postgres of this test's own.
const control = inject("outageControl");
const started = z.object({ databaseUrl: z.string(), user: z.object({ email: z.string(), password: z.string() }) });

async function post(action: "start" | "stop"): Promise<unknown> {
  const response = await fetch(`${control}/${action}`, { method: "POST" });
  if (!response.ok) throw new Error(`outage control /${action}: ${response.status} ${await response.text()}`);
  return response.json();
}

const { databaseUrl, user } = started.parse(await post("start"));
const settings = { readyTimeoutMs: 1_000, requestTimeoutMs: 3_000 };
const target = createWorkerTarget({
  DATABASE_URL: databaseUrl,
  READY_TIMEOUT_MS: String(settings.readyTimeoutMs),
  REQUEST_TIMEOUT_MS: String(settings.requestTimeoutMs),
});
const database = {
  user,
  stop: async () => {
    await post("stop");
  },
  start: async () => {
    await post("start");
  },
  openSession: () => openRemoteSession(databaseUrl),
};

outageContract(target, database, settings);
