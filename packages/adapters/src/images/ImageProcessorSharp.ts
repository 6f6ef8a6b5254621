import { Effect, Layer } from "effect"
import sharp from "sharp"
import { ImageProcessor, ImageUnreadable } from "@nelo/domain/users/ImageProcessor"

// Shown at most ~100 px on a phone; 512 leaves room for high-density screens and stays small (~20 KB).
const avatarSidePixels = 512

/**
 * sharp (libvips): rotates by the EXIF orientation, then drops every metadata block on re-encoding
 * (sharp keeps none unless asked), covers a square, and writes WebP.
 */
export const ImageProcessorSharp = Layer.succeed(ImageProcessor, ImageProcessor.of({
  avatar: (bytes) =>
    Effect.tryPromise({
      try: async () => {
        const output = await sharp(bytes, { limitInputPixels: 50_000_000 })
          .rotate()
          .resize(avatarSidePixels, avatarSidePixels, { fit: "cover", withoutEnlargement: false })
          .webp({ quality: 80 })
          .toBuffer()
        return { bytes: new Uint8Array(output), contentType: "image/webp" }
      },
      catch: () => new ImageUnreadable()
    })
}))
