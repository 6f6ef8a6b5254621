import { Effect } from "effect"
import type { UserId } from "../users/User.ts"
import { requireAdmin } from "../users/setUserRoles.ts"
import { makeChangeOrder } from "./changeOrder.ts"
import type { Order, RefundDestination } from "./Order.ts"
import { makeOrderAccess, type Viewer } from "./orderAccess.ts"
import type { Responsible } from "./orderStateMachine.ts"

/**
 * What people do to an order once placed: its provider's owner confirms it (with the minutes it
 * needs), rejects it, starts preparing it and marks it ready; its customer cancels it while the
 * policy allows; an admin cancels any order before it ends, naming who is responsible. Each goes
 * through the state machine (changeOrder); someone who is not that party to the order gets not found.
 */
export const makeOrderActions = Effect.gen(function*() {
  const change = yield* makeChangeOrder
  const access = yield* makeOrderAccess
  const asProvider = (viewer: Viewer) => (order: Order) => access.managesProvider(viewer, order.providerId)

  return {
    confirm: (viewer: Viewer, orderId: string, preparationMinutes: number) =>
      change(orderId, { _tag: "Confirm", preparationMinutes }, access.providerActor(viewer), asProvider(viewer)),
    reject: (viewer: Viewer, orderId: string, reason: string) =>
      change(orderId, { _tag: "Reject", reason }, access.providerActor(viewer), asProvider(viewer)),
    startPreparing: (viewer: Viewer, orderId: string) =>
      change(orderId, { _tag: "StartPreparing" }, access.providerActor(viewer), asProvider(viewer)),
    markReady: (viewer: Viewer, orderId: string) =>
      change(orderId, { _tag: "MarkReady" }, access.providerActor(viewer), asProvider(viewer)),
    cancelByCustomer: (customerId: UserId, orderId: string, reason: string, refundTo: RefundDestination = "wallet") =>
      change(orderId, { _tag: "Cancel", reason, refundTo }, { kind: "customer", id: customerId }, (order) => Effect.succeed(order.customerId === customerId)),
    cancelByAdmin: (viewer: Viewer, orderId: string, reason: string, responsible: Responsible, refundTo: RefundDestination = "wallet") =>
      Effect.andThen(requireAdmin(viewer), change(orderId, { _tag: "Cancel", reason, responsible, refundTo }, { kind: "admin", id: viewer.userId }, () => Effect.succeed(true)))
  }
})
