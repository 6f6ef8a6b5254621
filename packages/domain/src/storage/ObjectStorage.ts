import { Context, Effect, type Option, Schema } from "effect"

/** The storage could not be reached or refused the operation (network error, disk error, S3 error). */
export class StorageUnavailable extends Schema.TaggedError<StorageUnavailable>()("StorageUnavailable", {
  operation: Schema.Literals(["put", "get", "delete", "signedUrl"]),
  key: Schema.String,
  cause: Schema.Defect()
}) {}

/**
 * A key that breaks the rules of `storageKeyProblem`. It is a defect, never a typed failure: the
 * application builds every key itself from ids it made (`avatars/<userId>/<uuid>.webp`), never from
 * what a client sent, so a bad key is a bug to fix, not a case for callers to handle. `publicUrl`
 * throws it, the effectful operations die with it, before any byte is written or read.
 */
export class StorageKeyInvalid extends Schema.TaggedError<StorageKeyInvalid>()("StorageKeyInvalid", {
  key: Schema.String,
  reason: Schema.String
}) {}

export type ObjectVisibility = "public" | "private"

export interface StoredObject {
  readonly bytes: Uint8Array
  readonly contentType: string
}

// S3 limits a key to 1024 bytes; the alphabet is ASCII, so characters and bytes are the same count.
const maximumKeyLength = 1024
// A file name is at most 255 bytes on Linux filesystems, and the filesystem adapter adds a suffix to
// name a sidecar: 200 keeps every key storable by every adapter, so switching driver never breaks one.
const maximumSegmentLength = 200

/** S3 refuses presigned URLs valid for longer than 7 days; every adapter keeps to that limit. */
export const maximumSignedUrlSeconds = 604_800

/**
 * Why a key is refused, or undefined when it is acceptable. A key is a relative path (at most
 * 1024 characters, 200 a segment) of segments made of `A-Z a-z 0-9 . _ -`: no leading or doubled
 * `/`, no `..` anywhere (it could climb out of the filesystem adapter's directory), no backslash,
 * nothing a URL or a file name would need to escape. The first segment `private` is reserved: the filesystem adapter serves signed URLs under
 * `<base>/private/<key>`, which a public key starting with `private/` would shadow.
 */
export const storageKeyProblem = (key: string): string | undefined => {
  if (key.length === 0) return "the key is empty"
  if (key.length > maximumKeyLength) return `the key is longer than ${maximumKeyLength} characters`
  if (!/^[A-Za-z0-9._/-]+$/u.test(key)) return "the key may only contain A-Z, a-z, 0-9, '.', '_', '-' and '/'"
  if (key.startsWith("/")) return "the key must be relative (no leading '/')"
  if (key.endsWith("/")) return "the key must name an object, not a folder (no trailing '/')"
  if (key.includes("//")) return "the key has an empty segment ('//')"
  if (key.includes("..")) return "the key may not contain '..'"
  const segments = key.split("/")
  if (segments.some((segment) => segment === ".")) return "the key may not contain a '.' segment"
  if (segments.some((segment) => segment.length > maximumSegmentLength)) return `a segment of the key is longer than ${maximumSegmentLength} characters`
  if (key === "private" || key.startsWith("private/")) return "the first segment 'private' is reserved for signed URLs"
  return undefined
}

/** Dies with StorageKeyInvalid for a refused key: the first step of every effectful operation. */
export const requireStorageKey = (key: string): Effect.Effect<void> =>
  Effect.suspend(() => {
    const reason = storageKeyProblem(key)
    return reason === undefined ? Effect.void : Effect.die(new StorageKeyInvalid({ key, reason }))
  })

/** The key and a lifetime of a whole number of seconds from 1 to 7 days, or a defect. */
export const requireSignedUrlRequest = (key: string, expiresInSeconds: number): Effect.Effect<void> =>
  requireStorageKey(key).pipe(Effect.andThen(
    Number.isInteger(expiresInSeconds) && expiresInSeconds >= 1 && expiresInSeconds <= maximumSignedUrlSeconds
      ? Effect.void
      : Effect.die(new RangeError(`expiresInSeconds: expected a whole number from 1 to ${maximumSignedUrlSeconds}, got ${expiresInSeconds}`))
  ))

/** `<baseUrl>/<key>`, for the synchronous `publicUrl`: throws StorageKeyInvalid for a refused key. */
export const keyUrl = (baseUrl: string, key: string): string => {
  const reason = storageKeyProblem(key)
  if (reason !== undefined) throw new StorageKeyInvalid({ key, reason })
  return `${baseUrl}/${key}`
}

/**
 * Files of users: avatars (public, served at `publicUrl`) and KYC documents such as identity cards,
 * licences and selfies (private, reachable only through a short-lived `signedUrl`). Adapters:
 * memory (tests), filesystem (default, one machine), S3-compatible (MinIO, Cloudflare R2, AWS).
 */
export class ObjectStorage extends Context.Service<ObjectStorage, {
  /** Stores the bytes under the key, replacing any object already there (its visibility too). */
  readonly put: (
    key: string,
    bytes: Uint8Array,
    options: { readonly contentType: string; readonly visibility: ObjectVisibility }
  ) => Effect.Effect<void, StorageUnavailable>
  readonly get: (key: string) => Effect.Effect<Option.Option<StoredObject>, StorageUnavailable>
  /** Removes the object; removing a key that holds nothing succeeds too. */
  readonly delete: (key: string) => Effect.Effect<void, StorageUnavailable>
  /** Where anyone can read a public object (avatars). Meaningless for a private one. */
  readonly publicUrl: (key: string) => string
  /** A URL that reads a private object until it expires, `expiresInSeconds` from now (1 to 604800). */
  readonly signedUrl: (key: string, expiresInSeconds: number) => Effect.Effect<string, StorageUnavailable>
}>()("nelo/storage/ObjectStorage") {}
