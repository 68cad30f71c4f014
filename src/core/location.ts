/** `Location` of a resource created by a POST to `collectionPath` (the request's path, a trailing slash ignored). */
export const locationOf = (collectionPath: string, id: string) => `${collectionPath.replace(/\/$/, "")}/${id}`;
