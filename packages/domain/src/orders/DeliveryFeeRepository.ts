import { Context, type Effect } from "effect"
import type { DeliveryFeeSchedule } from "./DeliveryFeeSchedule.ts"
import type { OrdersUnavailable } from "./errors.ts"

/** The delivery fee bands in force; admins replace them (each version kept, with who and when). */
export class DeliveryFeeRepository extends Context.Service<DeliveryFeeRepository, {
  /** The latest version; the default schedule until an admin sets one. */
  readonly current: Effect.Effect<DeliveryFeeSchedule, OrdersUnavailable>
  readonly replace: (schedule: DeliveryFeeSchedule, by: string, now: Date) => Effect.Effect<void, OrdersUnavailable>
}>()("nelo/orders/DeliveryFeeRepository") {}
