import { Effect, Layer, Schema } from "effect"
import { DispatchTimers, DispatchTimersUnavailable, type DispatchWakeUp } from "@nelo/domain/deliveries/DispatchTimers"
import { consumeDelayedJobs, delayedJobs } from "./delayedJobs.ts"

/** The queue of dispatch's wake-ups: one delayed job per wake-up, its id the wake-up's key. */
export const dispatchTimersQueue = "dispatch-timers"

// The job's data: { deliveryId, key, at } with `at` in epoch milliseconds.
const WakeUpJob = Schema.Struct({ deliveryId: Schema.String, key: Schema.String, at: Schema.DateFromMillis })

/**
 * Wake-ups as BullMQ delayed jobs: kept in Redis, they survive restarts of the worker and fire at
 * their time (or when a worker comes back). The job id is the key (`offers-<uuid>-3`,
 * `start-<uuid>`, `retry-<uuid>-<ms>`: no ":", which BullMQ refuses), so scheduling twice is once.
 */
export const DispatchTimersBullmq = Layer.effect(DispatchTimers, Effect.gen(function*() {
  const jobs = yield* delayedJobs({ queue: dispatchTimersQueue, job: WakeUpJob, unavailable: (cause) => new DispatchTimersUnavailable({ cause }) })
  return DispatchTimers.of({
    schedule: (wakeUp) => jobs.add(wakeUp, { id: wakeUp.key, name: "wake-up" }),
    // BullMQ cannot find jobs by their data: this reads every waiting wake-up of the queue and keeps
    // the delivery's. Fine for support and tests, which are its only users; not for dispatch itself.
    pendingFor: (deliveryId) => jobs.waitingWhere((wakeUp) => wakeUp.deliveryId === deliveryId)
  })
}))

/**
 * Runs `run` for each wake-up as it comes due, until the surrounding scope closes. A job that does
 * not decode is kept failed without retry; a failing run is retried with the job's backoff.
 */
export const consumeDispatchTimers = <E, R>(options: { readonly concurrency: number }, run: (wakeUp: DispatchWakeUp) => Effect.Effect<void, E, R>) =>
  consumeDelayedJobs({
    queue: dispatchTimersQueue,
    job: WakeUpJob,
    concurrency: options.concurrency,
    malformed: "DispatchWakeUpMalformed",
    failedLog: "dispatch timer job failed"
  }, run)
