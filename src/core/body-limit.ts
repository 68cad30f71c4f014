import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./errors";

/** Rejects bodies over the limit before anything parses them (Content-Length or streamed size). */
export const limitBody = (maxBytes: number) =>
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
    },
  });
