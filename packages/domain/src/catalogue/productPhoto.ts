import { Effect, Option } from "effect"
import { currentDate } from "../shared/currentDate.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { detectContentType, maximumUploadBytes } from "../storage/detectContentType.ts"
import { ObjectStorage } from "../storage/ObjectStorage.ts"
import { ImageProcessor } from "../users/ImageProcessor.ts"
import { FileTooLarge, UnsupportedFileType } from "../users/uploadErrors.ts"
import { CatalogueCache } from "./CatalogueCache.ts"
import { ProductNotFound } from "./errors.ts"
import { MenuRepository } from "./MenuRepository.ts"
import { type CatalogueActor, makeManagedProvider } from "./providerAccess.ts"

const photoTypes = ["image/jpeg", "image/png", "image/webp"]

/** Product photos are public objects (the menu shows them to everyone), under their own prefix. */
export const productPhotoKeyPrefix = "products/"

/** A product's photo, replaced or removed. */
export const makeProductPhoto = Effect.gen(function*() {
  const menus = yield* MenuRepository
  const ids = yield* IdGenerator
  const cache = yield* CatalogueCache
  const storage = yield* ObjectStorage
  const images = yield* ImageProcessor
  const managedProvider = yield* makeManagedProvider

  /**
   * Replaces a product's photo: checked from its bytes, resized and stripped of metadata, stored
   * under a new key (caches never serve the old one), and the previous photo deleted.
   */
  const changeProductPhoto = Effect.fn("Catalogue.changeProductPhoto")(function*(actor: CatalogueActor, providerId: string, productId: string, bytes: Uint8Array) {
    yield* managedProvider(actor, providerId)
    if (Option.isNone(yield* menus.findProduct(providerId, productId))) return yield* new ProductNotFound()
    if (bytes.length > maximumUploadBytes) return yield* new FileTooLarge({ maximumBytes: maximumUploadBytes })
    const detected = detectContentType(bytes)
    if (detected === undefined || !photoTypes.includes(detected)) return yield* new UnsupportedFileType({ accepted: photoTypes })
    const photo = yield* images.productPhoto(bytes)
    const key = `${productPhotoKeyPrefix}${providerId}/${yield* ids.uuid}.webp`
    yield* storage.put(key, photo.bytes, { contentType: photo.contentType, visibility: "public" })
    const previous = yield* menus.setProductPhoto(providerId, productId, key, yield* currentDate)
    if (Option.isNone(previous)) {
      // Removed while the photo was processed: the new object has no product.
      yield* storage.delete(key).pipe(Effect.ignore)
      return yield* new ProductNotFound()
    }
    yield* cache.invalidateMenu(providerId)
    if (previous.value !== null) yield* storage.delete(previous.value).pipe(Effect.ignore)
    return { photoUrl: storage.publicUrl(key) }
  })

  const removeProductPhoto = Effect.fn("Catalogue.removeProductPhoto")(function*(actor: CatalogueActor, providerId: string, productId: string) {
    yield* managedProvider(actor, providerId)
    const previous = yield* menus.setProductPhoto(providerId, productId, null, yield* currentDate)
    if (Option.isNone(previous)) return yield* new ProductNotFound()
    yield* cache.invalidateMenu(providerId)
    if (previous.value !== null) yield* storage.delete(previous.value).pipe(Effect.ignore)
  })

  return { changeProductPhoto, removeProductPhoto }
})
