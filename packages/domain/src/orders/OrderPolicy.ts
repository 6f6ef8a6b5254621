import { Context, Layer } from "effect"
import { type Xof, xof } from "../shared/Xof.ts"
import type { OrderStatus } from "./Order.ts"

/**
 * The numbers of the order rules. Defaults are the product's decisions for Tiassalé; deployments
 * tune them from config (ORDERS_* variables).
 */
export interface OrderPolicyNumbers {
  /** How far from a provider it delivers, unless it has its own radius below. */
  readonly deliveryRadiusM: number
  readonly deliveryRadiusByProviderM: Readonly<Record<string, number>>
  /** A provider that has not confirmed a paid order within this is taken to be absent: cancelled by the system, refunded. */
  readonly confirmWithinMs: number
  /** A gateway order still unpaid after this expires; its stock returns. */
  readonly unpaidExpireAfterMs: number
  /** Cash orders above this are refused (the driver carries the change, and the risk). */
  readonly cashOrderMaximumXof: Xof
  /** A customer whose last this many cash orders all failed at the door may not order cash again. */
  readonly cashRefusedAfterFailedOrders: number
  /** Where a customer may still cancel once the provider confirmed (pending is always free). */
  readonly customerMayCancelIn: ReadonlyArray<OrderStatus>
  /** The longest preparation a provider may announce. */
  readonly maximumPreparationMinutes: number
}

export const defaultOrderPolicy: OrderPolicyNumbers = {
  deliveryRadiusM: 5_000,
  deliveryRadiusByProviderM: {},
  confirmWithinMs: 10 * 60_000,
  unpaidExpireAfterMs: 30 * 60_000,
  cashOrderMaximumXof: xof(30_000),
  cashRefusedAfterFailedOrders: 2,
  customerMayCancelIn: ["pending", "confirmed", "preparing"],
  maximumPreparationMinutes: 180
}

/** The radius a provider delivers within. */
export const deliveryRadiusOf = (policy: OrderPolicyNumbers, providerId: string): number =>
  policy.deliveryRadiusByProviderM[providerId] ?? policy.deliveryRadiusM

export class OrderPolicy extends Context.Service<OrderPolicy, OrderPolicyNumbers>()("nelo/orders/OrderPolicy") {
  /** The defaults, for tests and development; the apps read theirs from config. */
  static readonly defaults = Layer.succeed(OrderPolicy, defaultOrderPolicy)
}
