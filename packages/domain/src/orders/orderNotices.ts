import { Effect, Option } from "effect"
import { ProviderRepository } from "../catalogue/ProviderRepository.ts"
import type { NewEventOf } from "../events/DomainEvent.ts"
import { francs } from "../shared/francs.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import type { UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import type { Order, OrderChange } from "./Order.ts"
import { OrderPolicy, type OrderPolicyNumbers } from "./OrderPolicy.ts"

/** A message for one side of an order. */
export interface OrderNotice {
  readonly to: "customer" | "provider"
  readonly body: string
}

const itemsCount = (order: Order) => order.lines.reduce((count, line) => count + line.quantity, 0)

const paidHow = (order: Order) =>
  order.paymentMethod === "cash" ? "à encaisser à la livraison" : "déjà payée"

/**
 * Who is told what when an order changes, in French, short enough for one or two SMS: the provider
 * of each order it can act on (at once: it has `confirmWithinMs` to confirm), the customer when it
 * is confirmed, ready, or cancelled by someone else (with the refund), and the provider when an
 * order it may be preparing is cancelled by someone else.
 */
export const orderNotices = (order: Order, change: Pick<OrderChange, "change" | "actor" | "reason">, policy: Pick<OrderPolicyNumbers, "confirmWithinMs">): ReadonlyArray<OrderNotice> => {
  const minutes = Math.round(policy.confirmWithinMs / 60_000)
  const newOrder = (): OrderNotice => ({
    to: "provider",
    body: `NELO : nouvelle commande ${order.reference}, ${itemsCount(order)} article(s), ${francs(order.totals.subtotalXof)} d'articles, ${paidHow(order)}. Acceptez-la dans l'application dans les ${minutes} minutes.`
  })
  switch (change.change) {
    case "created":
      return order.paymentStatus === "awaiting" ? [] : [newOrder()]
    case "paid":
      return [newOrder()]
    case "confirmed":
      return [{
        to: "customer",
        body: `NELO : ${order.pickup.name} a accepté votre commande ${order.reference}${order.preparationMinutes === null ? "" : `, prête dans environ ${order.preparationMinutes} min`}.`
      }]
    case "ready":
      return [{ to: "customer", body: `NELO : votre commande ${order.reference} est prête chez ${order.pickup.name}.` }]
    case "cancelled": {
      const notices: Array<OrderNotice> = []
      const refund = order.paymentStatus === "refunded" ? ` ${francs(order.totals.totalXof)} sont remboursés sur votre portefeuille NELO.` : ""
      if (change.actor.kind !== "customer") {
        notices.push({ to: "customer", body: `NELO : votre commande ${order.reference} est annulée : ${change.reason ?? "sans motif"}.${refund}`.replace(/\.\./u, ".") })
      }
      // The provider saw it only once it could act on it; it cancelled it itself otherwise.
      if (change.actor.kind !== "provider" && order.paymentStatus !== "unpaid") {
        notices.push({ to: "provider", body: `NELO : la commande ${order.reference} est annulée${change.actor.kind === "customer" ? " par le client" : ""}. Ne la préparez pas.` })
      }
      return notices
    }
    default:
      return []
  }
}

/**
 * The `notification.requested` events of an order's change, for the caller to append to the outbox
 * with the change itself (so each is sent once, by the worker, whatever the retries). The phones are
 * the customer's and the provider owner's as they are now.
 */
export const makeOrderNoticeEvents = Effect.gen(function*() {
  const users = yield* UserRepository
  const providers = yield* ProviderRepository
  const ids = yield* IdGenerator
  const policy = yield* OrderPolicy
  return (order: Order, change: OrderChange) =>
    Effect.gen(function*() {
      const notices = orderNotices(order, change, policy)
      if (notices.length === 0) return []
      const phoneOf = (to: OrderNotice["to"]) =>
        to === "customer"
          ? Effect.map(users.findById(order.customerId as UserId), Option.map((user) => user.phone))
          : providers.findById(order.providerId).pipe(
            Effect.flatMap(Option.match({
              onNone: () => Effect.succeed(Option.none()),
              onSome: (provider) => Effect.map(users.findById(provider.ownerId as UserId), Option.map((user) => user.phone))
            }))
          )
      const events: Array<NewEventOf<"notification.requested">> = []
      for (const notice of notices) {
        const phone = yield* phoneOf(notice.to)
        if (Option.isNone(phone)) continue
        events.push({
          id: yield* ids.uuid,
          type: "notification.requested",
          aggregateType: "order",
          aggregateId: order.id,
          payload: { channel: "sms", to: phone.value, body: notice.body.slice(0, 640) },
          occurredAt: change.at.toISOString()
        })
      }
      return events
    })
})
