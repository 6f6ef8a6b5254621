import { createHmac, timingSafeEqual } from "node:crypto"
import { Clock, Effect } from "effect"
import { requireSignedUrlRequest } from "@nelo/domain/storage/ObjectStorage"

// The key cannot contain a newline (see storageKeyProblem), so "key\nexpires" is unambiguous:
// plain concatenation would sign "a1"+"23" and "a12"+"3" alike.
const signedText = (key: string, expires: number) => `${key}\n${expires}`

/** Hex HMAC-SHA256 of a private object's key and expiry (unix seconds), as signed URLs carry it. */
export const storageSignature = (key: string, expires: number, secret: string): string =>
  createHmac("sha256", secret).update(signedText(key, expires)).digest("hex")

/**
 * Whether a signed URL of the filesystem (or memory) storage still grants access: the signature is
 * the one this secret gives for the key and expiry, compared in constant time, and `nowMs` is before
 * the expiry. The HTTP app calls it before serving `<base>/private/<key>?expires=…&signature=…`.
 */
export const verifyStorageSignature = (key: string, expires: string | number, signature: string, secret: string, nowMs: number): boolean => {
  const expiresSeconds = typeof expires === "number" ? expires : /^\d{1,12}$/u.test(expires) ? Number(expires) : Number.NaN
  if (!Number.isSafeInteger(expiresSeconds) || expiresSeconds * 1000 <= nowMs) return false
  if (!/^[0-9a-f]{64}$/u.test(signature)) return false
  return timingSafeEqual(Buffer.from(storageSignature(key, expiresSeconds, secret), "hex"), Buffer.from(signature, "hex"))
}

/**
 * The `signedUrl` of the filesystem and memory storages:
 * `<base>/private/<key>?expires=<unix seconds>&signature=<hex>`.
 */
export const signStorageUrl = (publicBaseUrl: string, secret: string) => (key: string, expiresInSeconds: number) =>
  Effect.gen(function*() {
    yield* requireSignedUrlRequest(key, expiresInSeconds)
    const expires = Math.floor((yield* Clock.currentTimeMillis) / 1000) + expiresInSeconds
    return `${publicBaseUrl}/private/${key}?expires=${expires}&signature=${storageSignature(key, expires, secret)}`
  })
