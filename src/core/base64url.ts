/** Bytes as unpadded base64url (RFC 4648 §5): password hashes, opaque tokens, cursors. */
export const toBase64Url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
