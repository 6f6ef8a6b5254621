import { crc32, deflateSync } from "node:zlib"
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import sharp from "sharp"
import { ImageProcessorSharp } from "@nelo/adapters/images/ImageProcessorSharp"
import { ImageProcessor, productPhotoMaximumPixels } from "@nelo/domain/users/ImageProcessor"
import { photo } from "./imageProcessorContract.ts"

// What only the real adapter does. The avatar of a phone photo (1200×900 JPEG with EXIF: 512 px
// WebP without it) and unreadable avatars are covered end to end by test/users/http/uploadJourneys.

const metadataOf = (bytes: Uint8Array) => Effect.promise(() => sharp(bytes).metadata())

/** A phone photo: landscape pixels, EXIF with the camera, the GPS position, and an orientation. */
const phonePhoto = (width: number, height: number, orientation = 1) =>
  Effect.promise(() =>
    sharp({ create: { width, height, channels: 3, background: { r: 30, g: 140, b: 90 } } })
      .jpeg()
      .withExif({
        IFD0: { Make: "Tecno", Model: "Spark 10" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "5/1 53/1 52/1", GPSLongitudeRef: "W", GPSLongitude: "4/1 49/1 19/1" }
      })
      .withMetadata({ orientation })
      .withXmp(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Aya"/></rdf:RDF></x:xmpmeta>`)
      .toBuffer()
      .then((buffer) => new Uint8Array(buffer)))

/** A valid grey PNG of side × side pixels, all black: a few KB however large it claims to be. */
const blackPng = (side: number) => {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data])
    const framed = Buffer.alloc(body.length + 8)
    framed.writeUInt32BE(data.length, 0)
    body.copy(framed, 4)
    framed.writeUInt32BE(crc32(body), body.length + 4)
    return framed
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(side, 0)
  header.writeUInt32BE(side, 4)
  header[8] = 8 // bits per sample; colour type 0 (grey), no interlacing
  const rows = deflateSync(Buffer.alloc((side + 1) * side)) // each row: filter byte 0, then zeros
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", rows), chunk("IEND", Buffer.alloc(0))]))
}

layer(ImageProcessorSharp, { excludeTestServices: true })("ImageProcessorSharp", (it) => {
  it.effect("a product photo fits in 1024×1024 with its proportions, as WebP", () =>
    Effect.gen(function*() {
      const processor = yield* ImageProcessor
      assert.strictEqual(productPhotoMaximumPixels, 1024)
      const wide = yield* processor.productPhoto(yield* photo("jpeg", 2000, 1000))
      assert.strictEqual(wide.contentType, "image/webp")
      const wideMetadata = yield* metadataOf(wide.bytes)
      assert.deepInclude(wideMetadata, { format: "webp", width: 1024, height: 512 })

      const tall = yield* metadataOf((yield* processor.productPhoto(yield* photo("png", 1200, 3600))).bytes)
      assert.strictEqual(tall.height, 1024)
      assert.closeTo(tall.width, 341, 1)
    }))

  it.effect("a small product photo is not enlarged", () =>
    Effect.gen(function*() {
      const processor = yield* ImageProcessor
      const small = yield* processor.productPhoto(yield* photo("jpeg", 300, 200))
      assert.deepInclude(yield* metadataOf(small.bytes), { format: "webp", width: 300, height: 200 })
    }))

  it.effect("a product photo loses its metadata (GPS position, camera, XMP) and is turned upright by its EXIF orientation", () =>
    Effect.gen(function*() {
      const processor = yield* ImageProcessor
      // Orientation 6: stored landscape, shown rotated a quarter turn (portrait).
      const input = yield* phonePhoto(2000, 1000, 6)
      const inputMetadata = yield* metadataOf(input)
      assert.include(Buffer.from(inputMetadata.exif ?? []).toString("latin1"), "Tecno", "the test photo carries EXIF")
      assert.isDefined(inputMetadata.xmp, "the test photo carries XMP")
      assert.strictEqual(inputMetadata.orientation, 6)

      const output = yield* metadataOf((yield* processor.productPhoto(input)).bytes)
      assert.isUndefined(output.exif, "no EXIF: no GPS position, no camera")
      assert.isUndefined(output.xmp)
      assert.isUndefined(output.iptc)
      assert.isUndefined(output.orientation)
      assert.deepInclude(output, { format: "webp", width: 512, height: 1024 })
    }))

  it.effect("an avatar is a 512 px WebP square, a small or narrow photo included", () =>
    Effect.gen(function*() {
      const processor = yield* ImageProcessor
      for (const input of [yield* photo("png", 300, 200), yield* phonePhoto(400, 1000, 6)]) {
        const avatar = yield* processor.avatar(input)
        assert.strictEqual(avatar.contentType, "image/webp")
        const metadata = yield* metadataOf(avatar.bytes)
        assert.deepInclude(metadata, { format: "webp", width: 512, height: 512 })
        assert.isUndefined(metadata.exif)
      }
    }))

  it.effect("bytes that start like an image but are not one are ImageUnreadable, as a product photo too", () =>
    Effect.gen(function*() {
      const processor = yield* ImageProcessor
      const truncatedJpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70])
      const full = yield* photo("png", 200, 200)
      for (const bytes of [truncatedJpeg, full.slice(0, 60)]) {
        assert.strictEqual((yield* Effect.flip(processor.productPhoto(bytes)))._tag, "ImageUnreadable")
        assert.strictEqual((yield* Effect.flip(processor.avatar(bytes)))._tag, "ImageUnreadable")
      }
    }))

  // A small file can claim billions of pixels; decoding it would take the process's memory.
  it.effect("an image of more than 50 million pixels is refused without being decoded", () =>
    Effect.gen(function*() {
      const processor = yield* ImageProcessor
      const fine = yield* processor.productPhoto(blackPng(64))
      assert.deepInclude(yield* metadataOf(fine.bytes), { width: 64, height: 64 }, "the crafted PNG is a valid image")

      const bomb = blackPng(8_000) // 64 million pixels in ~60 KB
      assert.isBelow(bomb.length, 200_000)
      assert.strictEqual((yield* Effect.flip(processor.productPhoto(bomb)))._tag, "ImageUnreadable")
      assert.strictEqual((yield* Effect.flip(processor.avatar(bomb)))._tag, "ImageUnreadable")
    }))
})
