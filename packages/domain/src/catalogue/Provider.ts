import { Schema } from "effect"
import { GeoPoint } from "../geo/GeoPoint.ts"
import { isPlainText } from "../shared/plainText.ts"
import type { Role, UserId } from "../users/User.ts"
import { Schedule } from "./Schedule.ts"

export const ProviderName = Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMinLength(2), Schema.isMaxLength(120)))
export const ProviderDescription = Schema.String.pipe(Schema.check(isPlainText, Schema.isMaxLength(1000)))
export const ProviderLandmark = Schema.String.pipe(Schema.check(isPlainText, Schema.isMaxLength(300)))

export const ProviderType = Schema.Literals(["restaurant", "gas_depot", "grocery"])
export type ProviderType = typeof ProviderType.Type

/** A place that sells through NELO: a maquis or restaurant, a butane gas depot, a grocery. */
export const Provider = Schema.Struct({
  id: Schema.String,
  ownerId: Schema.String,
  type: ProviderType,
  name: ProviderName,
  description: ProviderDescription,
  location: GeoPoint,
  /** How a driver finds it: "face à la gare routière, à côté de la pharmacie". */
  landmark: ProviderLandmark,
  /** The delivery zone of its location; null outside every zone (it cannot sell yet). */
  zone: Schema.NullOr(Schema.Struct({ id: Schema.String, slug: Schema.String, name: Schema.String })),
  schedule: Schedule,
  /** Customers' ratings of its orders (1..5 each): their sum and count; the public rating is their mean. */
  ratingSum: Schema.Number,
  ratingCount: Schema.Number
})
export type Provider = typeof Provider.Type

/** Who may change a provider's catalogue: its owner, or an admin. */
export const canManageProvider = (actor: { readonly userId: UserId; readonly roles: ReadonlyArray<Role> }, provider: Pick<Provider, "ownerId">) =>
  actor.roles.includes("admin") || (actor.roles.includes("provider") && provider.ownerId === actor.userId)

/** Only admins create providers for someone else; a provider-role user creates their own. */
export const canCreateProviderFor = (actor: { readonly userId: UserId; readonly roles: ReadonlyArray<Role> }, ownerId: string) =>
  actor.roles.includes("admin") || (actor.roles.includes("provider") && ownerId === actor.userId)
