/** Fields the server owns on every resource: read-only in the API, never written by clients. */
export const SERVER_OWNED = ["id", "version", "createdAt", "updatedAt"] as const;
export type ServerOwned = (typeof SERVER_OWNED)[number];

export const isServerOwned = (key: string): key is ServerOwned => (SERVER_OWNED as readonly string[]).includes(key);
