import { Effect, Layer } from "effect"
import type { Sharp } from "sharp"
import { ImageProcessor, ImageUnreadable, productPhotoMaximumPixels } from "@nelo/domain/users/ImageProcessor"

// Shown at most ~100 px on a phone; 512 leaves room for high-density screens and stays small (~20 KB).
const avatarSidePixels = 512

/**
 * sharp (libvips): rotates by the EXIF orientation, then drops every metadata block on re-encoding
 * (sharp keeps none unless asked), resizes (avatars cover a square, product photos fit inside a
 * square), and writes WebP.
 */
// libvips adds ~27 MB to the process as soon as it loads: the API loads it at the first photo, not
// at start-up (most API processes serve reads all day and never see a photo).
let sharpModule: Promise<typeof import("sharp")> | undefined
const loadSharp = () => (sharpModule ??= import("sharp"))

const toWebp = (bytes: Uint8Array, resize: (image: Sharp) => Sharp) =>
  Effect.tryPromise({
    try: async () => {
      const sharp = (await loadSharp()).default
      const output = await resize(sharp(bytes, { limitInputPixels: 50_000_000 }).rotate()).webp({ quality: 80 }).toBuffer()
      return { bytes: new Uint8Array(output), contentType: "image/webp" }
    },
    catch: () => new ImageUnreadable()
  })

export const ImageProcessorSharp = Layer.succeed(ImageProcessor, ImageProcessor.of({
  avatar: (bytes) => toWebp(bytes, (image) => image.resize(avatarSidePixels, avatarSidePixels, { fit: "cover", withoutEnlargement: false })),
  // Menus show photos full width on a phone: 1024 px is sharp on high-density screens, ~60–120 KB.
  productPhoto: (bytes) =>
    toWebp(bytes, (image) => image.resize(productPhotoMaximumPixels, productPhotoMaximumPixels, { fit: "inside", withoutEnlargement: true }))
}))
