import { Context, type Effect, Schema } from "effect"

/** A moment dispatch must look at a delivery again: its start, the end of a batch's offers, a retry. */
export interface DispatchWakeUp {
  readonly deliveryId: string
  /** One wake-up per key: scheduled twice, it fires once. */
  readonly key: string
  readonly at: Date
}

export class DispatchTimersUnavailable extends Schema.TaggedError<DispatchTimersUnavailable>()("DispatchTimersUnavailable", {
  cause: Schema.Defect()
}) {}

/**
 * Where dispatch's wake-ups wait (BullMQ delayed jobs in production): each fires at its time, or
 * soon after, across restarts of the worker, and runs `Dispatch.advance` on its delivery, which
 * decides from what it finds then (a wake-up that comes early or twice does nothing wrong).
 */
export class DispatchTimers extends Context.Service<DispatchTimers, {
  readonly schedule: (wakeUp: DispatchWakeUp) => Effect.Effect<void, DispatchTimersUnavailable>
  /** The wake-ups still waiting for a delivery (for support, and the contract). */
  readonly pendingFor: (deliveryId: string) => Effect.Effect<ReadonlyArray<DispatchWakeUp>, DispatchTimersUnavailable>
}>()("nelo/deliveries/DispatchTimers") {}
