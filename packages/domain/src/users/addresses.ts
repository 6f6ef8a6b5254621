import { Clock, Effect, Option, Schema } from "effect"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { maximumAddressesPerUser } from "./Address.ts"
import { type AddressFields, AddressRepository } from "./AddressRepository.ts"
import type { UserId } from "./User.ts"

export class AddressNotFound extends Schema.TaggedError<AddressNotFound>()("AddressNotFound", {}) {}

export class TooManyAddresses extends Schema.TaggedError<TooManyAddresses>()("TooManyAddresses", {
  maximum: Schema.Number
}) {}

/** A person's delivery addresses; another user's address is never found. */
export const makeAddresses = Effect.gen(function*() {
  const addresses = yield* AddressRepository
  const ids = yield* IdGenerator

  /** Adds an address; the user's first address is their default whatever they asked. */
  const add = Effect.fn("addAddress")(function*(userId: UserId, input: AddressFields & { readonly isDefault?: boolean | undefined }) {
    const existing = yield* addresses.count(userId)
    if (existing >= maximumAddressesPerUser) return yield* new TooManyAddresses({ maximum: maximumAddressesPerUser })
    const id = yield* ids.uuid
    const now = new Date(yield* Clock.currentTimeMillis)
    return yield* addresses.create({ ...input, id, userId, isDefault: existing === 0 || input.isDefault === true, now })
  })

  /** Changes an address of this user (another user's is not found). A default cannot be unset directly: set another. */
  const change = Effect.fn("changeAddress")(function*(userId: UserId, id: string, patch: Partial<AddressFields> & { readonly isDefault?: boolean | undefined }) {
    const now = new Date(yield* Clock.currentTimeMillis)
    const { isDefault, ...fields } = patch
    const updated = yield* addresses.update(userId, id, { ...fields, ...(isDefault === true ? { isDefault: true } : {}), now })
    if (Option.isNone(updated)) return yield* new AddressNotFound()
    return updated.value
  })

  const remove = Effect.fn("removeAddress")(function*(userId: UserId, id: string) {
    if (!(yield* addresses.delete(userId, id))) return yield* new AddressNotFound()
  })

  const list = Effect.fn("listAddresses")(function*(userId: UserId) {
    return yield* addresses.list(userId)
  })

  return { add, change, remove, list }
})
