import { Effect, Option } from "effect"
import { canManageProvider } from "../catalogue/Provider.ts"
import { ProviderRepository } from "../catalogue/ProviderRepository.ts"
import type { Role, UserId } from "../users/User.ts"
import type { Actor, Order } from "./Order.ts"

/** Who is asking: the authenticated user and their roles. */
export interface Viewer {
  readonly userId: UserId
  readonly roles: ReadonlyArray<Role>
}

/**
 * Who a user is to an order: its customer, its provider's owner, or an admin (who sees all); none
 * of these, the order does not exist for them (404, never 403: its existence is not told).
 */
export const makeOrderAccess = Effect.gen(function*() {
  const providers = yield* ProviderRepository

  /** Whether the viewer manages this provider (owner or admin); an unknown provider is nobody's. */
  const managesProvider = (viewer: Viewer, providerId: string) =>
    viewer.roles.includes("admin")
      ? Effect.succeed(true)
      : Effect.map(providers.findById(providerId), (found) => Option.isSome(found) && canManageProvider(viewer, found.value))

  /** Whether the viewer may see the order at all. */
  const maySee = (viewer: Viewer, order: Order) =>
    order.customerId === viewer.userId ? Effect.succeed(true) : managesProvider(viewer, order.providerId)

  /** The viewer acting for the order's provider: as an admin, or as its owner. */
  const providerActor = (viewer: Viewer): Actor => ({ kind: viewer.roles.includes("admin") ? "admin" : "provider", id: viewer.userId })

  return { managesProvider, maySee, providerActor }
})
