import { assert, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import sharp from "sharp"
import { detectContentType } from "@nelo/domain/storage/detectContentType"
import { ImageProcessor } from "@nelo/domain/users/ImageProcessor"

/** A small photo in one of the formats uploads arrive in, made by sharp. */
export const photo = (format: "jpeg" | "png" | "webp", width = 64, height = 48) =>
  Effect.promise(() =>
    sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } }).toFormat(format).toBuffer()
      .then((buffer) => new Uint8Array(buffer)))

const unreadable: ReadonlyArray<readonly [string, Uint8Array]> = [
  ["no bytes", new Uint8Array()],
  ["text", new TextEncoder().encode("<?php system($_GET['c']); ?>")],
  ["a PDF", new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")]
]

/**
 * One suite, run against every ImageProcessor adapter: what the use cases rely on from any of them.
 * What only the real one does (sizes, WebP, metadata) is in imageProcessorSharp.test.ts.
 */
export const imageProcessorContract = (name: string, processorLayer: Layer.Layer<ImageProcessor, unknown>) =>
  layer(processorLayer, { excludeTestServices: true })(`ImageProcessor contract: ${name}`, (it) => {
    it.effect("what is not an image is ImageUnreadable, as an avatar and as a product photo", () =>
      Effect.gen(function*() {
        const processor = yield* ImageProcessor
        for (const [what, bytes] of unreadable) {
          assert.strictEqual((yield* Effect.flip(processor.avatar(bytes)))._tag, "ImageUnreadable", `avatar from ${what}`)
          assert.strictEqual((yield* Effect.flip(processor.productPhoto(bytes)))._tag, "ImageUnreadable", `product photo from ${what}`)
        }
      }))

    it.effect("a JPEG, PNG or WebP photo becomes an image whose bytes are of the type reported", () =>
      Effect.gen(function*() {
        const processor = yield* ImageProcessor
        for (const format of ["jpeg", "png", "webp"] as const) {
          const input = yield* photo(format)
          for (const [use, output] of [["avatar", yield* processor.avatar(input)], ["product photo", yield* processor.productPhoto(input)]] as const) {
            assert.isAbove(output.bytes.length, 0, `${use} from ${format}`)
            assert.include(["image/jpeg", "image/png", "image/webp"], output.contentType, `${use} from ${format}`)
            assert.strictEqual(detectContentType(output.bytes), output.contentType, `${use} from ${format}: the bytes say what the type says`)
          }
        }
      }))

    it.effect("the input is left as it was", () =>
      Effect.gen(function*() {
        const processor = yield* ImageProcessor
        const input = yield* photo("png")
        const copy = Uint8Array.from(input)
        yield* processor.avatar(input)
        yield* processor.productPhoto(input)
        assert.deepStrictEqual(input, copy)
      }))
  })
