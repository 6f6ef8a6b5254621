import { Config, Option } from "effect"
import type { HttpServerRequest } from "effect/http"

/**
 * How many reverse proxies in front of the API append to X-Forwarded-For. 0 (the default) trusts
 * no header: the client IP is the socket's peer. Rate limits per IP rest on this being right.
 */
export const TrustedProxyHops = Config.Int("TRUSTED_PROXY_HOPS").pipe(Config.withDefault(0))

export const clientIp = (request: HttpServerRequest.HttpServerRequest, trustedProxyHops: number): string => {
  const peer = Option.getOrElse(request.remoteAddress, () => "unknown")
  if (trustedProxyHops === 0) return peer
  const forwarded = (request.headers["x-forwarded-for"] ?? "").split(",").map((part) => part.trim()).filter(Boolean)
  // The last `hops` entries were written by our proxies; the one before them is the client.
  return forwarded[forwarded.length - trustedProxyHops] ?? peer
}
