import { productPhotoKeyPrefix } from "../catalogue/productPhoto.ts"
import { avatarKeyPrefix } from "../users/changeAvatar.ts"

/** The only objects anyone may fetch without a signed link: avatars and product photos. */
export const publicObjectPrefixes = [avatarKeyPrefix, productPhotoKeyPrefix] as const

export const isPublicObjectKey = (key: string) => publicObjectPrefixes.some((prefix) => key.startsWith(prefix))
