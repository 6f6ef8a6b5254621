import { Context, type Effect, type Option } from "effect"
import type { AuthStoreUnavailable } from "../auth/errors.ts"
import type { GeoPoint } from "../geo/GeoPoint.ts"
import type { Address } from "./Address.ts"
import type { UserId } from "./User.ts"

export interface AddressFields {
  readonly label: string
  readonly location: GeoPoint
  readonly landmark: string
}

/**
 * A user's addresses. Every operation names the owner: another user's address is simply not
 * found. Zones are resolved by the store from the point (PostGIS in production). Making an
 * address the default clears the previous default in the same transaction.
 */
export class AddressRepository extends Context.Service<AddressRepository, {
  readonly list: (userId: UserId) => Effect.Effect<ReadonlyArray<Address>, AuthStoreUnavailable>
  readonly count: (userId: UserId) => Effect.Effect<number, AuthStoreUnavailable>
  readonly create: (input: AddressFields & { readonly id: string; readonly userId: UserId; readonly isDefault: boolean; readonly now: Date }) => Effect.Effect<Address, AuthStoreUnavailable>
  readonly update: (userId: UserId, id: string, patch: Partial<AddressFields> & { readonly isDefault?: boolean; readonly now: Date }) => Effect.Effect<Option.Option<Address>, AuthStoreUnavailable>
  /** Deletes; when the default goes, the most recently updated remaining address becomes default. */
  readonly delete: (userId: UserId, id: string) => Effect.Effect<boolean, AuthStoreUnavailable>
}>()("nelo/users/AddressRepository") {}
