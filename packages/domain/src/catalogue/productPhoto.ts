import { Clock, Effect, Option } from "effect"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { detectContentType, maximumUploadBytes } from "../storage/detectContentType.ts"
import { ObjectStorage } from "../storage/ObjectStorage.ts"
import { ImageProcessor } from "../users/ImageProcessor.ts"
import { FileTooLarge, UnsupportedFileType } from "../users/uploadErrors.ts"
import { CatalogueCache } from "./CatalogueCache.ts"
import { ProductNotFound } from "./errors.ts"
import { MenuRepository } from "./MenuRepository.ts"
import { type CatalogueActor, managedProvider } from "./providerAccess.ts"

const photoTypes = ["image/jpeg", "image/png", "image/webp"]

/** Product photos are public objects (the menu shows them to everyone), under their own prefix. */
export const productPhotoKeyPrefix = "products/"

/**
 * Replaces a product's photo: checked from its bytes, resized and stripped of metadata, stored
 * under a new key (caches never serve the old one), and the previous photo deleted.
 */
export const changeProductPhoto = Effect.fn("changeProductPhoto")(function*(actor: CatalogueActor, providerId: string, productId: string, bytes: Uint8Array) {
  yield* managedProvider(actor, providerId)
  const menus = yield* MenuRepository
  if (Option.isNone(yield* menus.findProduct(providerId, productId))) return yield* new ProductNotFound()
  if (bytes.length > maximumUploadBytes) return yield* new FileTooLarge({ maximumBytes: maximumUploadBytes })
  const detected = detectContentType(bytes)
  if (detected === undefined || !photoTypes.includes(detected)) return yield* new UnsupportedFileType({ accepted: photoTypes })
  const photo = yield* (yield* ImageProcessor).productPhoto(bytes)
  const storage = yield* ObjectStorage
  const key = `${productPhotoKeyPrefix}${providerId}/${yield* (yield* IdGenerator).uuid}.webp`
  yield* storage.put(key, photo.bytes, { contentType: photo.contentType, visibility: "public" })
  const previous = yield* menus.setProductPhoto(providerId, productId, key, new Date(yield* Clock.currentTimeMillis))
  if (Option.isNone(previous)) {
    // Removed while the photo was processed: the new object has no product.
    yield* storage.delete(key).pipe(Effect.ignore)
    return yield* new ProductNotFound()
  }
  yield* (yield* CatalogueCache).invalidateMenu(providerId)
  if (previous.value !== null) yield* storage.delete(previous.value).pipe(Effect.ignore)
  return { photoUrl: storage.publicUrl(key) }
})

export const removeProductPhoto = Effect.fn("removeProductPhoto")(function*(actor: CatalogueActor, providerId: string, productId: string) {
  yield* managedProvider(actor, providerId)
  const previous = yield* (yield* MenuRepository).setProductPhoto(providerId, productId, null, new Date(yield* Clock.currentTimeMillis))
  if (Option.isNone(previous)) return yield* new ProductNotFound()
  yield* (yield* CatalogueCache).invalidateMenu(providerId)
  if (previous.value !== null) yield* (yield* ObjectStorage).delete(previous.value).pipe(Effect.ignore)
})
