import { Effect, Layer, Option, Redacted } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse, ProblemDetails } from "effect/http"
import { FilesystemStorageConfig } from "@nelo/adapters/storage/FilesystemStorageConfig"
import { verifyStorageSignature } from "@nelo/adapters/storage/storageSignature"
import { ObjectStorage, storageKeyProblem } from "@nelo/domain/storage/ObjectStorage"
import { isPublicObjectKey } from "@nelo/domain/storage/publicObjectPrefixes"


const notFound = HttpServerResponse.jsonUnsafe(
  { type: "urn:nelo:problem:not_found", title: "Not found", status: 404, code: "not_found", message: "Ce fichier n'existe pas ou ce lien a expiré." },
  { status: 404, contentType: ProblemDetails.contentType }
)

const keyFrom = (url: string, prefix: string) => {
  const path = url.split("?")[0]!
  if (!path.startsWith(prefix)) return undefined
  const key = decodeURIComponent(path.slice(prefix.length))
  return storageKeyProblem(key) === undefined ? key : undefined
}

/**
 * Serves the filesystem storage's files under STORAGE_PUBLIC_BASE_URL's path (/files): avatars
 * (the domain's only public objects) publicly (cached for a year: a new photo gets a new key), KYC documents only with a valid, unexpired
 * signature and never cached. A refused link is a plain 404, saying nothing about the file.
 */
export const FilesRoutes = Layer.unwrap(Effect.gen(function*() {
  const storage = yield* ObjectStorage
  const { signingSecret } = yield* FilesystemStorageConfig
  const respond = (key: string, cacheControl: string) =>
    storage.get(key).pipe(
      Effect.map(Option.match({
        onNone: () => notFound,
        onSome: (object) =>
          HttpServerResponse.uint8Array(object.bytes, {
            contentType: object.contentType,
            headers: { "cache-control": cacheControl, "x-content-type-options": "nosniff", "content-disposition": "inline" }
          })
      })),
      Effect.catchTag("StorageUnavailable", () => Effect.succeed(HttpServerResponse.empty({ status: 503 })))
    )

  const privateFile = HttpRouter.add("GET", "/files/private/*", (request: HttpServerRequest.HttpServerRequest) =>
    Effect.gen(function*() {
      const key = keyFrom(request.url, "/files/private/")
      const query = new URLSearchParams(request.url.split("?")[1] ?? "")
      const expires = query.get("expires") ?? ""
      const signature = query.get("signature") ?? ""
      if (key === undefined || !verifyStorageSignature(key, expires, signature, Redacted.value(signingSecret), Date.now())) return notFound
      return yield* respond(key, "private, no-store")
    }))

  const publicFile = HttpRouter.add("GET", "/files/*", (request: HttpServerRequest.HttpServerRequest) =>
    Effect.gen(function*() {
      const key = keyFrom(request.url, "/files/")
      if (key === undefined || key.startsWith("private/") || !isPublicObjectKey(key)) return notFound
      return yield* respond(key, "public, max-age=31536000, immutable")
    }))

  return Layer.mergeAll(privateFile, publicFile)
}))
