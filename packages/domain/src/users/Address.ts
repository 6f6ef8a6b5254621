import { Schema } from "effect"
import { isPlainText } from "../shared/plainText.ts"
import type { GeoPoint } from "../geo/GeoPoint.ts"
import type { UserId } from "./User.ts"

export const AddressLabel = Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMinLength(1), Schema.isMaxLength(50)))
/** In Tiassalé an address is a landmark: "derrière la pharmacie du marché, portail bleu". */
export const Landmark = Schema.String.pipe(Schema.check(isPlainText, Schema.isMaxLength(300)))

export interface AddressZone {
  readonly id: string
  readonly slug: string
  readonly name: string
}

export interface Address {
  readonly id: string
  readonly userId: UserId
  readonly label: string
  readonly location: GeoPoint
  readonly landmark: string
  readonly isDefault: boolean
  /** The delivery zone the point falls in; null outside every zone. */
  readonly zone: AddressZone | null
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** A user keeps a handful of places (home, work, family); a cap keeps the list usable and bounded. */
export const maximumAddressesPerUser = 20
