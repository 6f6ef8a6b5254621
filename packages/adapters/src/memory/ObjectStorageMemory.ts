import { Effect, Layer, Option } from "effect"
import { keyUrl, ObjectStorage, requireStorageKey } from "@nelo/domain/storage/ObjectStorage"
import { signStorageUrl } from "../storage/storageSignature.ts"

/** The memory storage builds the filesystem storage's URLs, with these fixed values, so tests can check them. */
export const memoryStoragePublicBaseUrl = "http://localhost:8000/files"
export const memoryStorageSigningSecret = "nelo-memory-storage-signing-secret-for-tests"

interface MemoryObject {
  readonly bytes: Uint8Array
  readonly contentType: string
}

/** Objects in a Map, for tests. Bytes are copied in and out, as a real store would not share them. */
export const ObjectStorageMemory = Layer.sync(ObjectStorage, () => {
  const objects = new Map<string, MemoryObject>()
  return ObjectStorage.of({
    put: (key, bytes, options) =>
      requireStorageKey(key).pipe(Effect.andThen(Effect.sync(() => {
        objects.set(key, { bytes: Uint8Array.from(bytes), contentType: options.contentType })
      }))),
    get: (key) =>
      requireStorageKey(key).pipe(Effect.andThen(Effect.sync(() =>
        Option.fromNullishOr(objects.get(key)).pipe(Option.map((stored) => ({ bytes: Uint8Array.from(stored.bytes), contentType: stored.contentType })))
      ))),
    delete: (key) =>
      requireStorageKey(key).pipe(Effect.andThen(Effect.sync(() => {
        objects.delete(key)
      }))),
    publicUrl: (key) => keyUrl(memoryStoragePublicBaseUrl, key),
    signedUrl: signStorageUrl(memoryStoragePublicBaseUrl, memoryStorageSigningSecret)
  })
})
