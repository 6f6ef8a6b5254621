import { Clock, Effect, Layer, Option, Redacted } from "effect"
import { keyUrl, ObjectStorage, requireSignedUrlRequest, requireStorageKey, StorageUnavailable } from "@nelo/domain/storage/ObjectStorage"
import { presignUrl, sha256Hex, signRequestHeaders } from "./awsSignatureV4.ts"
import { S3StorageConfig } from "./S3StorageConfig.ts"

interface S3Response {
  readonly status: number
  readonly contentType: string | null
  readonly bytes: Uint8Array
}

// S3 explains a refusal in XML: <Error><Code>NoSuchKey</Code><Message>…</Message></Error>.
const errorCode = (response: S3Response) => /<Code>([^<]*)<\/Code>/u.exec(new TextDecoder().decode(response.bytes))?.[1]

const refusal = (method: string, response: S3Response) => {
  const text = new TextDecoder().decode(response.bytes)
  const message = /<Message>([^<]*)<\/Message>/u.exec(text)?.[1]
  return new Error(`S3 ${method} answered HTTP ${response.status}${[errorCode(response), message].filter(Boolean).map((part) => ` ${part}`).join(":")}`)
}

/**
 * ObjectStorage on an S3-compatible API, over fetch with Signature V4. Objects are private (the
 * S3 default): a public object is readable at S3_PUBLIC_BASE_URL only if the bucket policy or a CDN
 * exposes its prefix (avatars/), or, where the store honours ACLs, with S3_PUBLIC_READ_ACL=true.
 * A private object is read through a presigned GET URL.
 */
export const ObjectStorageS3 = Layer.effect(ObjectStorage, Effect.gen(function*() {
  const config = yield* S3StorageConfig
  const credentials = { accessKeyId: config.accessKeyId, secretAccessKey: Redacted.value(config.secretAccessKey), region: config.region }
  const objectUrl = (key: string) => new URL(`${config.bucketUrl}/${key}`)

  const send = (operation: StorageUnavailable["operation"], key: string, method: string, init: { body?: Uint8Array; headers?: Record<string, string> } = {}) =>
    Effect.gen(function*() {
      const url = objectUrl(key)
      const headers = signRequestHeaders({ method, url, headers: init.headers ?? {}, payloadHash: sha256Hex(init.body ?? "") }, credentials, yield* Clock.currentTimeMillis)
      return yield* Effect.tryPromise({
        try: async (signal): Promise<S3Response> => {
          const response = await fetch(url, {
            method,
            headers,
            ...(init.body ? { body: init.body as Uint8Array<ArrayBuffer> } : {}),
            signal: AbortSignal.any([signal, AbortSignal.timeout(config.requestTimeoutMs)])
          })
          return { status: response.status, contentType: response.headers.get("content-type"), bytes: new Uint8Array(await response.arrayBuffer()) }
        },
        catch: (cause) => new StorageUnavailable({ operation, key, cause })
      })
    })

  const unavailable = (operation: StorageUnavailable["operation"], key: string, method: string, response: S3Response) =>
    new StorageUnavailable({ operation, key, cause: refusal(method, response) })

  return ObjectStorage.of({
    put: (key, bytes, options) =>
      Effect.gen(function*() {
        yield* requireStorageKey(key)
        const headers: Record<string, string> = { "content-type": options.contentType }
        if (options.visibility === "public" && config.publicReadAcl) headers["x-amz-acl"] = "public-read"
        const response = yield* send("put", key, "PUT", { body: bytes, headers })
        if (response.status !== 200) return yield* unavailable("put", key, "PUT", response)
      }),
    get: (key) =>
      Effect.gen(function*() {
        yield* requireStorageKey(key)
        const response = yield* send("get", key, "GET")
        if (response.status === 200) {
          return Option.some({ bytes: response.bytes, contentType: response.contentType ?? "application/octet-stream" })
        }
        // A missing bucket is a broken setup, not a missing object.
        if (response.status === 404 && errorCode(response) !== "NoSuchBucket") return Option.none()
        return yield* unavailable("get", key, "GET", response)
      }),
    delete: (key) =>
      Effect.gen(function*() {
        yield* requireStorageKey(key)
        const response = yield* send("delete", key, "DELETE")
        // S3 answers 204 for a key that holds nothing; some compatible stores answer 404 NoSuchKey.
        if (response.status === 204 || response.status === 200) return
        if (response.status === 404 && errorCode(response) === "NoSuchKey") return
        return yield* unavailable("delete", key, "DELETE", response)
      }),
    publicUrl: (key) => keyUrl(config.publicBaseUrl, key),
    signedUrl: (key, expiresInSeconds) =>
      Effect.gen(function*() {
        yield* requireSignedUrlRequest(key, expiresInSeconds)
        return presignUrl({ method: "GET", url: objectUrl(key) }, credentials, expiresInSeconds, yield* Clock.currentTimeMillis)
      })
  })
}))
