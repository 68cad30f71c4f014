import http from "node:http";
import { describe, expect, inject, it } from "vitest";
import { ConfigError } from "../../src/config";
import { startServer } from "../../src/node/start-server";
import { tokenFor, uniqueTag, userInput } from "../contract/target";

/** Sends a POST whose body arrives in two parts, so the request is in flight between them. */
function slowPost(port: number, body: string, token: string) {
  let finish: () => void = () => {};
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(
      {
        port,
        host: "127.0.0.1",
        method: "POST",
        path: "/api/v1/users",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    request.on("error", reject);
    request.write(body.slice(0, 5));
    finish = () => request.end(body.slice(5));
  });
  return { response, finish: () => finish() };
}

describe("Node server entry", () => {
  it("serves over HTTP with node-postgres and logs one line per request without secrets", async () => {
    const lines: string[] = [];
    const server = await startServer(
      { DATABASE_URL: inject("databaseUrl"), ENVIRONMENT: "test", PORT: "0", LOG_LEVEL: "info" },
      { sink: (line) => lines.push(line) },
    );
    const token = await tokenFor("viewer");
    let issued = "";
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/api/v1/ping`, {
        headers: { authorization: `Bearer ${token}`, cookie: "sid=cookie-secret", "x-request-id": "log-test-1" },
      });
      expect(response.status).toBe(200);
      const login = await fetch(`http://127.0.0.1:${server.port}/api/v1/auth/token`, {
        method: "POST",
        body: new URLSearchParams({ username: inject("testUsers").viewer.email, password: inject("testUsers").viewer.password }),
      });
      expect(login.status).toBe(200);
      issued = ((await login.json()) as { access_token: string }).access_token;
      const ready = await fetch(`http://127.0.0.1:${server.port}/ready`);
      expect(ready.status).toBe(200);
    } finally {
      await server.shutdown("test");
    }
    const requestLines = lines.map((line) => JSON.parse(line)).filter((record) => record.message === "request");
    const line = requestLines.find((record) => record.requestId === "log-test-1");
    expect(line).toMatchObject({ level: "info", method: "GET", route: "/api/v1/ping", status: 200 });
    expect(typeof line.durationMs).toBe("number");
    const all = lines.join("\n");
    expect(all).not.toContain(token);
    expect(all).not.toContain(issued);
    expect(all).not.toContain(inject("testUsers").viewer.password);
    expect(all).not.toMatch(/pbkdf2/);
    expect(all).not.toContain("cookie-secret");
    expect(all).not.toContain(inject("databaseUrl"));
  });

  it("on shutdown stops accepting, lets the in-flight request finish, then closes", async () => {
    const server = await startServer({ DATABASE_URL: inject("databaseUrl"), ENVIRONMENT: "test", PORT: "0", LOG_LEVEL: "silent" });
    const inFlight = slowPost(server.port, JSON.stringify(userInput(uniqueTag())), await tokenFor("admin"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    let stopped = false;
    const stopping = server.shutdown("SIGTERM").then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    await expect(fetch(`http://127.0.0.1:${server.port}/health`)).rejects.toThrow();
    inFlight.finish();
    const result = await inFlight.response;
    expect(result.status).toBe(201);
    await stopping;
    expect(stopped).toBe(true);
  });

  it("refuses to start with a bad setting, naming it", async () => {
    await expect(startServer({ ENVIRONMENT: "test", PORT: "not-a-port" })).rejects.toThrow(ConfigError);
    await expect(startServer({ ENVIRONMENT: "test", PORT: "not-a-port" })).rejects.toThrow(/PORT/);
  });

  it("never puts the request's Host header into a problem type (the socket path, where Node builds the URL from Host)", async () => {
    const server = await startServer({ ENVIRONMENT: "test", PORT: "0", LOG_LEVEL: "silent" });
    try {
      // fetch() sets Host itself; node:http sends the one given, as an attacker's client would.
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get({ port: server.port, host: "127.0.0.1", path: "/nope", headers: { host: "evil.example" } }, (res) => {
            let text = "";
            res.on("data", (chunk) => {
              text += chunk;
            });
            res.on("end", () => resolve(text));
          })
          .on("error", reject);
      });
      expect(JSON.parse(body)).toMatchObject({ code: "not_found", type: "/problems/not_found" });
    } finally {
      await server.shutdown("test");
    }
  });

  it("fails closed: no ENVIRONMENT, a weak secret in production, or production without METRICS_TOKEN stops it", async () => {
    const strong = "q8Vd3kP0zX7mN2rT5wY9bC4fH6jL1sA8eG3uI0oK";
    await expect(startServer({ PORT: "0" })).rejects.toThrow(/ENVIRONMENT: is required/);
    await expect(startServer({ ENVIRONMENT: "production", JWT_SECRET: "too-short", METRICS_TOKEN: strong })).rejects.toThrow(
      /JWT_SECRET: is too weak/,
    );
    await expect(startServer({ ENVIRONMENT: "production", JWT_SECRET: strong, PORT: "0" })).rejects.toThrow(/METRICS_TOKEN: is required/);
  });
});
