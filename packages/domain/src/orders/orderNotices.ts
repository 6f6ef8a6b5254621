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
  /**
   * How it travels. The provider's notices go by SMS and push both: it has minutes to act, and an
   * SMS is heard on any phone, while the push opens the order in the app. The customer's go by push
   * (free, opens the order), by SMS only when no phone of theirs could be reached.
   */
  readonly via: "sms-and-push" | "push-else-sms"
  /** The push's title: a few words, the lock screen shows it above the body. */
  readonly title: string
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
    via: "sms-and-push",
    title: "Nouvelle commande",
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
        via: "push-else-sms",
        title: "Commande acceptée",
        body: `NELO : ${order.pickup.name} a accepté votre commande ${order.reference}${order.preparationMinutes === null ? "" : `, prête dans environ ${order.preparationMinutes} min`}.`
      }]
    case "ready":
      return [{ to: "customer", via: "push-else-sms", title: "Commande prête", body: `NELO : votre commande ${order.reference} est prête chez ${order.pickup.name}.` }]
    case "cancelled": {
      const notices: Array<OrderNotice> = []
      const refund = order.paymentStatus === "refunded"
        ? ` ${francs(order.totals.totalXof)} sont remboursés sur votre portefeuille NELO.`
        : order.paymentStatus === "refunding"
        ? ` ${francs(order.totals.totalXof)} vous seront remboursés sur votre compte Wave.`
        : ""
      if (change.actor.kind !== "customer") {
        notices.push({ to: "customer", via: "push-else-sms", title: "Commande annulée", body: `NELO : votre commande ${order.reference} est annulée : ${change.reason ?? "sans motif"}.${refund}`.replace(/\.\./u, ".") })
      }
      // The provider saw it only once it could act on it; it cancelled it itself otherwise.
      if (change.actor.kind !== "provider" && order.paymentStatus !== "unpaid") {
        notices.push({ to: "provider", via: "sms-and-push", title: "Commande annulée", body: `NELO : la commande ${order.reference} est annulée${change.actor.kind === "customer" ? " par le client" : ""}. Ne la préparez pas.` })
      }
      return notices
    }
    // The driver left the provider: the customer gets ready, with the code he will read out at the door.
    case "delivering":
      return [{
        to: "customer",
        via: "push-else-sms",
        title: "Commande en route",
        body: `NELO : votre commande ${order.reference} est en route. Code de livraison à donner au livreur : ${order.deliveryCode}.`
      }]
    case "delivered":
      return [{ to: "customer", via: "push-else-sms", title: "Commande livrée", body: `NELO : votre commande ${order.reference} est livrée. Bon appétit ! Notez votre livreur dans l'application.` }]
    case "failed":
      return [{
        to: "customer",
        via: "push-else-sms",
        title: "Livraison impossible",
        body: `NELO : la livraison de votre commande ${order.reference} n'a pas pu se faire (${change.reason ?? "sans motif"}).${order.paymentStatus === "refunded" ? ` ${francs(order.totals.totalXof)} sont remboursés sur votre portefeuille NELO.` : " Contactez le support NELO si besoin."}`
      }]
    // The gateway refund a cancellation asked for: done (no reason), or refused and made to the wallet.
    case "refunded":
      return [{
        to: "customer",
        via: "push-else-sms",
        title: "Remboursement effectué",
        body: change.reason === null
          ? `NELO : ${francs(order.totals.totalXof)} de votre commande ${order.reference} sont remboursés sur votre compte Wave.`
          : `NELO : le remboursement Wave de votre commande ${order.reference} n'a pas pu se faire : ${francs(order.totals.totalXof)} sont crédités sur votre portefeuille NELO.`
      }]
    default:
      return []
  }
}

/**
 * The `notification.requested` events of an order's change, for the caller to append to the outbox
 * with the change itself (so each is sent once, by the worker, whatever the retries): per notice, an
 * SMS to the person's phone and a push to their devices, or a push with the phone as its fallback.
 * The people are the customer and the provider's owner as they are now. A push carries the order's
 * id, reference and the change, so the app opens that order.
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
      const personOf = (to: OrderNotice["to"]) =>
        to === "customer"
          ? users.findById(order.customerId as UserId)
          : providers.findById(order.providerId).pipe(
            Effect.flatMap(Option.match({
              onNone: () => Effect.succeed(Option.none()),
              onSome: (provider) => users.findById(provider.ownerId as UserId)
            }))
          )
      const data = { orderId: order.id, reference: order.reference, kind: change.change }
      const events: Array<NewEventOf<"notification.requested">> = []
      const add = (payload: NewEventOf<"notification.requested">["payload"]) =>
        Effect.map(ids.uuid, (id) => {
          events.push({ id, type: "notification.requested", aggregateType: "order", aggregateId: order.id, payload, occurredAt: change.at.toISOString() })
        })
      for (const notice of notices) {
        const person = yield* personOf(notice.to)
        if (Option.isNone(person)) continue
        const body = notice.body.slice(0, 640)
        const push = { channel: "push", userId: person.value.id, title: notice.title, body, data } as const
        if (notice.via === "sms-and-push") {
          yield* add({ channel: "sms", to: person.value.phone, body })
          yield* add(push)
        } else {
          yield* add({ ...push, fallbackPhone: person.value.phone })
        }
      }
      return events
    })
})
