import { createHmac, timingSafeEqual } from "node:crypto"

const sha256Hex = /^[0-9a-f]{64}$/u

/** HMAC-SHA256 of a UTF-8 text, in lower-case hex: how Wave and CinetPay sign their webhooks. */
export const hmacSha256Hex = (secret: string, text: string) => createHmac("sha256", secret).update(text, "utf8").digest("hex")

/**
 * Whether a received hex signature is the expected one, in constant time. Buffer.from(…, "hex")
 * stops at the first non-hex character, so the received one is checked to be a whole SHA-256 hex
 * string first; the comparison then runs on two buffers of 32 bytes.
 */
export const sameHexDigest = (expected: string, received: string) => {
  const normalized = received.trim().toLowerCase()
  return sha256Hex.test(normalized) && sha256Hex.test(expected) &&
    timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(normalized, "hex"))
}
