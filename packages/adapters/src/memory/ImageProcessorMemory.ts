import { Effect, Layer } from "effect"
import { detectContentType } from "@nelo/domain/storage/detectContentType"
import { ImageProcessor, ImageUnreadable } from "@nelo/domain/users/ImageProcessor"

/**
 * For unit tests: accepts what looks like an image from its first bytes and passes it through
 * unchanged (no resizing: that is sharp's job, tested on the real adapter).
 */
const passThrough = (bytes: Uint8Array) => {
  const type = detectContentType(bytes)
  return type === undefined || type === "application/pdf"
    ? Effect.fail(new ImageUnreadable())
    : Effect.succeed({ bytes: Uint8Array.from(bytes), contentType: type })
}

export const ImageProcessorMemory = Layer.succeed(ImageProcessor, ImageProcessor.of({
  avatar: passThrough,
  productPhoto: passThrough
}))
