import { createClient } from "../../src/client";
import { authorised, BASE_URL, type ContractTarget } from "./target";

/**
 * A service reached over real HTTP (a server process of its own, such as the built artefact).
 * `origin` is read on every request, so a target can be made before the server is up (at the top
 * level of a test file, where the contract suites' `describe`s run) and pointed at it in `beforeAll`.
 */
export function createHttpTarget(origin: () => string, runtime: ContractTarget["runtime"] = "node-dist"): ContractTarget {
  const send = async (request: Request) => {
    const incoming = new URL(request.url);
    const url = new URL(`${incoming.pathname}${incoming.search}`, origin());
    const headers = new Headers(request.headers);
    // The suites ask for https://service.test/… to see TLS-only behaviour (HSTS). A plain-HTTP server
    // learns about TLS the way it does in production, from the proxy in front of it.
    if (incoming.protocol === "https:" && !headers.has("x-forwarded-proto")) headers.set("x-forwarded-proto", "https");
    const body = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
    return fetch(url, { method: request.method, headers, body, redirect: "manual", signal: AbortSignal.timeout(15_000) });
  };
  const { as, fetch: asAdmin, clientFetch } = authorised(send);
  return { runtime, fetch: asAdmin, as, client: createClient(BASE_URL, { fetch: clientFetch }) };
}
