import net from "node:net";

/** One answer of the local /sql endpoint, its body parsed when it is a JSON object. */
export interface SqlAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

/** POSTs `body` (JSON-encoded unless a string) to `url` with the given connection string, as the Neon driver does: no Content-Type. */
export async function postSql(
  url: string,
  connectionString: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<SqlAnswer> {
  const response = await fetch(url, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "Neon-Connection-String": connectionString, ...headers },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text.startsWith("{") ? JSON.parse(text) : {} };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no TCP port");
  return address.port;
}

/** `url` with another port / password / database. */
export function withUrl(url: string, change: (url: URL) => void): string {
  const copy = new URL(url);
  change(copy);
  return copy.toString();
}
