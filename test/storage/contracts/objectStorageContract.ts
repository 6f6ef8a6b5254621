import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Cause, Effect, Exit, type Layer, Option } from "effect"
import { ObjectStorage, StorageKeyInvalid } from "@nelo/domain/storage/ObjectStorage"

export interface ObjectStorageContractOptions {
  /** `publicUrl(key)` must be exactly `${publicBaseUrl}/${key}`. */
  readonly publicBaseUrl: string
  /**
   * Reads a private object through a signed URL the way its consumer will, `afterSeconds` from now:
   * the bytes when access is granted, None when refused. S3: wait, then fetch the presigned URL.
   * Filesystem and memory: verifyStorageSignature at that instant, then read the object.
   */
  readonly openSignedUrl: (url: string, afterSeconds: number) => Effect.Effect<Option.Option<Uint8Array>, unknown, ObjectStorage>
}

// Every byte value, so no encoding (text, base64, line endings) can pass unnoticed.
const everyByte = Uint8Array.from({ length: 256 }, (_, index) => index)

// Each test writes under its own prefix: the adapters' stores (a directory, a bucket) are shared by the suite.
const freshKey = (name: string) => `contract/${randomUUID()}/${name}`

const invalidKeys = [
  "",
  "../etc/passwd",
  "avatars/../../etc/passwd",
  "avatars/a..b.webp",
  "/avatars/absolute.webp",
  "avatars\\windows.webp",
  "avatars/with space.webp",
  "avatars/accentué.webp",
  "avatars/query?.webp",
  "avatars/percent%2e.webp",
  "avatars//double.webp",
  "avatars/./dot.webp",
  "avatars/folder/",
  "private/shadow.webp",
  `avatars/${"a".repeat(201)}.webp`,
  `avatars/${"a/".repeat(510)}b`
]

// 1024 characters, segments of 200: the longest key every adapter must store.
const longestKey = `avatars/${Array.from({ length: 5 }, () => "a".repeat(200)).join("/")}/${"b".repeat(11)}`

const isKeyDefect = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.isFailure(exit) && Cause.hasDies(exit.cause) && Cause.squash(exit.cause) instanceof StorageKeyInvalid

/** One suite, run against every ObjectStorage adapter: they must behave the same. */
export const objectStorageContract = (name: string, storageLayer: Layer.Layer<ObjectStorage, unknown>, options: ObjectStorageContractOptions) =>
  layer(storageLayer, { excludeTestServices: true, timeout: 120_000 })(`ObjectStorage contract: ${name}`, (it) => {
    it.effect("put then get gives back the same binary bytes and content type, public or private", () =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const avatar = freshKey("avatar.webp")
        const identityCard = freshKey("identity-card.jpg")
        yield* storage.put(avatar, everyByte, { contentType: "image/webp", visibility: "public" })
        yield* storage.put(identityCard, everyByte.toReversed(), { contentType: "image/jpeg", visibility: "private" })
        const readAvatar = Option.getOrThrow(yield* storage.get(avatar))
        assert.deepStrictEqual([...readAvatar.bytes], [...everyByte])
        assert.strictEqual(readAvatar.contentType, "image/webp")
        const readCard = Option.getOrThrow(yield* storage.get(identityCard))
        assert.deepStrictEqual([...readCard.bytes], [...everyByte.toReversed()])
        assert.strictEqual(readCard.contentType, "image/jpeg")
      }))

    it.effect("an empty object is an object", () =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const key = freshKey("empty.pdf")
        yield* storage.put(key, new Uint8Array(0), { contentType: "application/pdf", visibility: "private" })
        const read = Option.getOrThrow(yield* storage.get(key))
        assert.strictEqual(read.bytes.length, 0)
        assert.strictEqual(read.contentType, "application/pdf")
      }))

    it.effect("get of a key never written is None", () =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        assert.isTrue(Option.isNone(yield* storage.get(freshKey("never-written.webp"))))
      }))

    it.effect("delete removes the object, and deleting again or deleting a key never written succeeds", () =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const key = freshKey("licence.jpg")
        yield* storage.put(key, everyByte, { contentType: "image/jpeg", visibility: "private" })
        yield* storage.delete(key)
        assert.isTrue(Option.isNone(yield* storage.get(key)))
        yield* storage.delete(key)
        yield* storage.delete(freshKey("never-written.jpg"))
      }))

    it.effect("put on an existing key replaces its bytes, content type and visibility", () =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const key = freshKey("selfie")
        yield* storage.put(key, Uint8Array.of(1, 2, 3), { contentType: "image/png", visibility: "public" })
        yield* storage.put(key, Uint8Array.of(9, 8), { contentType: "image/jpeg", visibility: "private" })
        const read = Option.getOrThrow(yield* storage.get(key))
        assert.deepStrictEqual([...read.bytes], [9, 8])
        assert.strictEqual(read.contentType, "image/jpeg")
        const opened = yield* options.openSignedUrl(yield* storage.signedUrl(key, 60), 0)
        assert.deepStrictEqual([...Option.getOrThrow(opened)], [9, 8])
      }))

    it.effect("the bytes stored are a copy: changing the caller's array afterwards changes nothing", () =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const key = freshKey("copied.bin")
        const bytes = Uint8Array.of(1, 2, 3)
        yield* storage.put(key, bytes, { contentType: "application/octet-stream", visibility: "private" })
        bytes[0] = 42
        assert.deepStrictEqual([...Option.getOrThrow(yield* storage.get(key)).bytes], [1, 2, 3])
      }))

    it.effect("keys that could climb out, need escaping or shadow signed URLs are refused with a StorageKeyInvalid defect", () =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        for (const key of invalidKeys) {
          assert.isTrue(isKeyDefect(yield* Effect.exit(storage.put(key, everyByte, { contentType: "image/webp", visibility: "public" }))), `put ${key}`)
          assert.isTrue(isKeyDefect(yield* Effect.exit(storage.get(key))), `get ${key}`)
          assert.isTrue(isKeyDefect(yield* Effect.exit(storage.delete(key))), `delete ${key}`)
          assert.isTrue(isKeyDefect(yield* Effect.exit(storage.signedUrl(key, 60))), `signedUrl ${key}`)
          assert.throws(() => storage.publicUrl(key), StorageKeyInvalid)
        }
        // The refused put wrote nothing, not even somewhere outside the store.
        assert.isTrue(Option.isNone(yield* storage.get("etc/passwd")))
        // The longest key accepted, and the characters allowed.
        const longest = longestKey
        assert.strictEqual(longest.length, 1024)
        yield* storage.put(longest, everyByte, { contentType: "image/webp", visibility: "public" })
        assert.isTrue(Option.isSome(yield* storage.get(longest)))
        yield* storage.delete(longest)
        yield* storage.put(freshKey("Kyc_Document-2.v1.PDF"), everyByte, { contentType: "application/pdf", visibility: "private" })
      }))

    it.effect("a signed URL reads the private object, and is refused once expired or with a tampered signature", () =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const key = freshKey("identity-card.jpg")
        yield* storage.put(key, everyByte, { contentType: "image/jpeg", visibility: "private" })

        const url = yield* storage.signedUrl(key, 60)
        assert.deepStrictEqual([...Option.getOrThrow(yield* options.openSignedUrl(url, 0))], [...everyByte])

        // One hex digit of the signature changed, the last thing in every signed URL.
        const tampered = url.replace(/[0-9a-f]$/u, (digit) => (digit === "0" ? "1" : "0"))
        assert.notStrictEqual(tampered, url)
        assert.isTrue(Option.isNone(yield* options.openSignedUrl(tampered, 0)))

        const shortLived = yield* storage.signedUrl(key, 1)
        assert.isTrue(Option.isNone(yield* options.openSignedUrl(shortLived, 2.5)))
      }))

    it.effect("a signed URL lives 1 second to 7 days; other lifetimes are a defect", () =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const key = freshKey("licence.jpg")
        for (const seconds of [0, -5, 1.5, 604_801, Number.NaN]) {
          const exit = yield* Effect.exit(storage.signedUrl(key, seconds))
          assert.isTrue(Exit.isFailure(exit) && Cause.hasDies(exit.cause), `lifetime ${seconds}`)
        }
        yield* storage.signedUrl(key, 604_800)
      }))

    it.effect("publicUrl is the public base URL followed by the key", () =>
      Effect.gen(function*() {
        const storage = yield* ObjectStorage
        const key = "avatars/0190a8b2-7c3e-7f00-8000-000000000001/4f6c1d2e-9a7b-4c3d-8e2f-1a2b3c4d5e6f.webp"
        assert.strictEqual(storage.publicUrl(key), `${options.publicBaseUrl}/${key}`)
      }))
  })
