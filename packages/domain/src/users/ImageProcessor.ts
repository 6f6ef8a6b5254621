import { Context, type Effect, Schema } from "effect"

export class ImageUnreadable extends Schema.TaggedError<ImageUnreadable>()("ImageUnreadable", {}) {}

/**
 * Turns an uploaded photo into what NELO serves: an avatar is resized to a small square, re-encoded
 * (WebP) and stripped of its metadata (EXIF GPS position, camera, date), which must never leak.
 */
export const productPhotoMaximumPixels = 1024

export class ImageProcessor extends Context.Service<ImageProcessor, {
  readonly avatar: (bytes: Uint8Array) => Effect.Effect<{ readonly bytes: Uint8Array; readonly contentType: string }, ImageUnreadable>
  /** A product photo keeps its proportions, fits in productPhotoMaximumPixels on each side, never enlarged. */
  readonly productPhoto: (bytes: Uint8Array) => Effect.Effect<{ readonly bytes: Uint8Array; readonly contentType: string }, ImageUnreadable>
}>()("nelo/users/ImageProcessor") {}
