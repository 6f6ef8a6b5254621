import { Schema } from "effect"
import { DeliveryChanged } from "../deliveries/deliveryEvents.ts"
import { NotificationRequested } from "../notifications/NotificationRequested.ts"
import { OrderChanged } from "../orders/orderEvents.ts"
import { PaymentMismatch } from "../payments/paymentEvents.ts"
import { WalletFreezeChanged } from "../wallet/walletEvents.ts"

/**
 * A fact that happened in one aggregate. It is written in the same database transaction as the
 * state change that caused it (the outbox), then relayed to the queues by the worker, and decoded
 * by its consumers. Every kind of event is one member of the union below, told apart by `type`:
 * a new event is a new member, and the routes (eventRoutes) must say where it goes.
 */
const event = <const Type extends string, Payload extends Schema.Top>(type: Type, payload: Payload) =>
  Schema.Struct({
    id: Schema.String,
    type: Schema.Literal(type),
    aggregateType: Schema.String,
    aggregateId: Schema.String,
    payload,
    occurredAt: Schema.String
  })

/** What a use case hands to the outbox; the outbox assigns the sequence. */
export const NewDomainEvent = Schema.Union([
  event("notification.requested", NotificationRequested),
  event("wallet.frozen", WalletFreezeChanged),
  event("wallet.unfrozen", WalletFreezeChanged),
  event("payment.mismatch", PaymentMismatch),
  event("order.created", OrderChanged),
  event("order.paid", OrderChanged),
  event("order.confirmed", OrderChanged),
  event("order.preparing", OrderChanged),
  event("order.ready", OrderChanged),
  event("order.picked_up", OrderChanged),
  event("order.delivering", OrderChanged),
  event("order.delivered", OrderChanged),
  event("order.cancelled", OrderChanged),
  event("order.failed", OrderChanged),
  event("order.refunded", OrderChanged),
  event("delivery.assigned", DeliveryChanged),
  event("delivery.offer_rejected", DeliveryChanged),
  event("delivery.released", DeliveryChanged),
  event("delivery.unassigned", DeliveryChanged),
  event("delivery.picked_up", DeliveryChanged),
  event("delivery.delivering", DeliveryChanged),
  event("delivery.completed", DeliveryChanged),
  event("delivery.failed", DeliveryChanged),
  event("delivery.cancelled", DeliveryChanged),
  event("delivery.code_locked", DeliveryChanged)
])
export type NewDomainEvent = typeof NewDomainEvent.Type

export type EventType = NewDomainEvent["type"]

/** The event of one type, as use cases write it. */
export type NewEventOf<Type extends EventType> = Extract<NewDomainEvent, { readonly type: Type }>

/**
 * An event as consumers receive it: decoded, with `sequence`, assigned by the outbox on insert,
 * which orders events, in particular per aggregate.
 */
export const DomainEvent = Schema.Union(NewDomainEvent.members.map((member) => Schema.Struct({ ...member.fields, sequence: Schema.Number })))
export type DomainEvent = typeof DomainEvent.Type

export type EventOf<Type extends EventType> = Extract<DomainEvent, { readonly type: Type }>

/**
 * An event as the outbox stores and the relay publishes it: its JSON form, whose `type` routes it.
 * The relay never needs to decode it; the consumer does.
 */
export interface StoredEvent {
  readonly id: string
  readonly sequence: number
  readonly type: string
  readonly aggregateType: string
  readonly aggregateId: string
  readonly payload: unknown
  readonly occurredAt: string
}

/** The JSON form of new events, for the outbox to store (a failure is a bug: the types made them). */
export const encodeNewEvent = Schema.encodeSync(NewDomainEvent)

export const decodeDomainEvent = Schema.decodeUnknownEffect(DomainEvent)
