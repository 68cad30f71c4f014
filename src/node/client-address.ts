import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/**
 * The client's address on Node. Directly exposed, it is the socket's peer. Behind
 * `trustedProxyHops` proxies (load balancers) that each append to
 * `X-Forwarded-For`, it is the entry that many places from the right: entries
 * further left were written by the client and can be forged.
 */
export function nodeClientAddress(trustedProxyHops: number) {
  return (c: Context): string => {
    const peer = getConnInfo(c).remote.address ?? "unknown";
    if (trustedProxyHops === 0) return peer;
    const forwarded = (c.req.header("x-forwarded-for") ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0);
    return forwarded[forwarded.length - trustedProxyHops] ?? peer;
  };
}
