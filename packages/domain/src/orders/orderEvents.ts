import { Schema } from "effect"
import { Xof } from "../shared/Xof.ts"
import { Actor, OrderChangeKind, OrderStatus, PaymentMethod, PaymentStatus } from "./Order.ts"

/**
 * Payload of every `order.*` event: the change as the history recorded it (`changeId` is its row,
 * the position live streams resume from) and what a consumer needs without reading the order back
 * (who to tell, how much, how it is paid).
 */
export const OrderChanged = Schema.Struct({
  orderId: Schema.String,
  reference: Schema.String,
  customerId: Schema.String,
  providerId: Schema.String,
  changeId: Schema.Number,
  change: OrderChangeKind,
  from: Schema.NullOr(OrderStatus),
  status: OrderStatus,
  paymentMethod: PaymentMethod,
  paymentStatus: PaymentStatus,
  totalXof: Xof,
  actor: Actor,
  reason: Schema.NullOr(Schema.String),
  /** Minutes announced by the provider when it confirmed. */
  preparationMinutes: Schema.NullOr(Schema.Int)
})
export type OrderChanged = typeof OrderChanged.Type

/** The event type of each change: `order.created`, `order.confirmed`, ... */
export const orderEventType = <Change extends OrderChangeKind>(change: Change): `order.${Change}` => `order.${change}`
