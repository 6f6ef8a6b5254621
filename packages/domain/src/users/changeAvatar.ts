import { Effect } from "effect"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { detectContentType, maximumUploadBytes } from "../storage/detectContentType.ts"
import { ObjectStorage } from "../storage/ObjectStorage.ts"
import { ImageProcessor } from "./ImageProcessor.ts"
import type { UserId } from "./User.ts"
import { UserRepository } from "./UserRepository.ts"
import { FileTooLarge, UnsupportedFileType } from "./uploadErrors.ts"

const avatarTypes = ["image/jpeg", "image/png", "image/webp"]

/** Avatars are the only public objects: everything else (KYC...) is served through signed links. */
export const avatarKeyPrefix = "avatars/"

/**
 * Replaces the user's photo: checked from its bytes (JPEG, PNG or WebP, at most 5 MB), resized and
 * stripped of metadata, stored publicly under a new key (so caches never serve the old one), and
 * the previous photo deleted.
 */
export const makeChangeAvatar = Effect.gen(function*() {
  const images = yield* ImageProcessor
  const storage = yield* ObjectStorage
  const ids = yield* IdGenerator
  const users = yield* UserRepository
  return Effect.fn("changeAvatar")(function*(userId: UserId, bytes: Uint8Array) {
    if (bytes.length > maximumUploadBytes) return yield* new FileTooLarge({ maximumBytes: maximumUploadBytes })
    const detected = detectContentType(bytes)
    if (detected === undefined || !avatarTypes.includes(detected)) return yield* new UnsupportedFileType({ accepted: avatarTypes })
    const avatar = yield* images.avatar(bytes)
    const key = `${avatarKeyPrefix}${userId}/${yield* ids.uuid}.webp`
    yield* storage.put(key, avatar.bytes, { contentType: avatar.contentType, visibility: "public" })
    const previous = yield* users.setAvatarKey(userId, key)
    // The old photo is garbage now; failing to delete it must not fail the change.
    if (previous !== null) yield* storage.delete(previous).pipe(Effect.ignore)
    return { avatarUrl: storage.publicUrl(key) }
  })
})
