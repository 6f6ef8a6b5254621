import { randomUUID } from "node:crypto"
import { mkdir, open, readFile, rename, rm } from "node:fs/promises"
import { dirname, join, resolve } from "node:path"
import { Effect, Layer, Option, Redacted, Schema } from "effect"
import { keyUrl, ObjectStorage, type ObjectVisibility, requireStorageKey, StorageUnavailable } from "@nelo/domain/storage/ObjectStorage"
import { FilesystemStorageConfig } from "./FilesystemStorageConfig.ts"
import { signStorageUrl } from "./storageSignature.ts"

export { verifyStorageSignature } from "./storageSignature.ts"

const visibilities: ReadonlyArray<ObjectVisibility> = ["public", "private"]

const Metadata = Schema.fromJsonString(Schema.Struct({
  contentType: Schema.String,
  visibility: Schema.Literals(["public", "private"])
}))

// A missing file, or a path through a file where a folder was expected (key "a/b" when "a" is an
// object): both mean there is no such object.
const isMissing = (error: unknown) =>
  typeof error === "object" && error !== null && "code" in error && (error.code === "ENOENT" || error.code === "ENOTDIR")

const unlessMissing = async <A>(run: () => Promise<A>): Promise<A | undefined> => {
  try {
    return await run()
  } catch (error) {
    if (isMissing(error)) return undefined
    throw error
  }
}

/**
 * Objects as files under STORAGE_DIRECTORY, laid out as
 *   public/<key>            bytes of public objects: the HTTP app may serve this tree as it is
 *   private/<key>           bytes of private objects: served only through signed URLs
 *   metadata/<key>~.json    {"contentType", "visibility"}; `~` never occurs in a key, so no
 *                           sidecar can collide with an object
 *   tmp/                    files being written
 * A put writes both files completely (and syncs them) in tmp/, then renames them into place, so a
 * reader never sees half a file; a crash between the two renames can leave an orphan file, never a
 * torn one. One limit of any path layout: "a" and "a/b" cannot both be objects (S3 allows it; nelo's
 * keys end in a fresh uuid, so one is never a folder of another).
 */
export const ObjectStorageFilesystem = Layer.effect(ObjectStorage, Effect.gen(function*() {
  const config = yield* FilesystemStorageConfig
  const root = resolve(config.directory)
  const temporaryDirectory = join(root, "tmp")
  const objectPath = (visibility: ObjectVisibility, key: string) => join(root, visibility, key)
  const metadataPath = (key: string) => join(root, "metadata", `${key}~.json`)

  const attempt = <A>(operation: StorageUnavailable["operation"], key: string, run: () => Promise<A>) =>
    Effect.tryPromise({ try: run, catch: (cause) => new StorageUnavailable({ operation, key, cause }) })

  const writeTemporary = async (data: Uint8Array | string) => {
    const path = join(temporaryDirectory, randomUUID())
    const handle = await open(path, "wx")
    try {
      await handle.writeFile(data)
      // Durable before it becomes visible: a KYC upload acknowledged is an upload kept.
      await handle.sync()
    } finally {
      await handle.close()
    }
    return path
  }

  const moveInto = async (temporary: string, destination: string) => {
    await mkdir(dirname(destination), { recursive: true })
    await rename(temporary, destination)
  }

  const put = async (key: string, bytes: Uint8Array, contentType: string, visibility: ObjectVisibility) => {
    await mkdir(temporaryDirectory, { recursive: true })
    const temporaries: Array<string> = []
    try {
      const bytesFile = await writeTemporary(bytes)
      temporaries.push(bytesFile)
      const metadataFile = await writeTemporary(JSON.stringify({ contentType, visibility }))
      temporaries.push(metadataFile)
      await moveInto(bytesFile, objectPath(visibility, key))
      await moveInto(metadataFile, metadataPath(key))
    } finally {
      await Promise.all(temporaries.map((path) => rm(path, { force: true })))
    }
    // An object that changed visibility must not stay readable in its former tree.
    const former = visibility === "public" ? "private" : "public"
    await unlessMissing(() => rm(objectPath(former, key), { force: true }))
  }

  const get = (key: string) =>
    Effect.gen(function*() {
      const text = yield* attempt("get", key, () => unlessMissing(() => readFile(metadataPath(key), "utf8")))
      if (text === undefined) return Option.none()
      const metadata = yield* Schema.decodeUnknownEffect(Metadata)(text).pipe(
        Effect.mapError((cause) => new StorageUnavailable({ operation: "get", key, cause }))
      )
      // Missing bytes beside metadata: a delete ran between the two reads.
      const bytes = yield* attempt("get", key, () => unlessMissing(() => readFile(objectPath(metadata.visibility, key))))
      if (bytes === undefined) return Option.none()
      return Option.some({ bytes: new Uint8Array(bytes), contentType: metadata.contentType })
    })

  const remove = async (key: string) => {
    // The metadata first: from then on get answers None, whatever remains of the bytes.
    await unlessMissing(() => rm(metadataPath(key), { force: true }))
    for (const visibility of visibilities) await unlessMissing(() => rm(objectPath(visibility, key), { force: true }))
  }

  return ObjectStorage.of({
    put: (key, bytes, options) =>
      requireStorageKey(key).pipe(Effect.andThen(attempt("put", key, () => put(key, bytes, options.contentType, options.visibility)))),
    get: (key) => requireStorageKey(key).pipe(Effect.andThen(get(key))),
    delete: (key) => requireStorageKey(key).pipe(Effect.andThen(attempt("delete", key, () => remove(key)))),
    publicUrl: (key) => keyUrl(config.publicBaseUrl, key),
    signedUrl: signStorageUrl(config.publicBaseUrl, Redacted.value(config.signingSecret))
  })
}))
