import { Effect, Layer, Schema } from "effect"
import { type Deadline, DeadlineKind, DeadlinesUnavailable, OrderDeadlines } from "@nelo/domain/orders/OrderDeadlines"
import { consumeDelayedJobs, delayedJobs } from "./delayedJobs.ts"

/** The queue of the orders' deadlines: one delayed job per deadline. */
export const orderDeadlinesQueue = "order-deadlines"

// The job's data: { orderId, kind, at } with `at` in epoch milliseconds.
const DeadlineJob = Schema.Struct({ orderId: Schema.String, kind: DeadlineKind, at: Schema.DateFromMillis })

/** One job per order and kind: BullMQ ignores an add whose id it holds, so scheduling twice is once. */
// BullMQ refuses ":" in custom ids (its own key separator).
const jobIdOf = (deadline: Pick<Deadline, "kind" | "orderId">) => `${deadline.kind}-${deadline.orderId}`

/**
 * Deadlines as BullMQ delayed jobs: kept in Redis, they survive restarts of the worker and fire at
 * their time (or when a worker comes back).
 */
export const OrderDeadlinesBullmq = Layer.effect(OrderDeadlines, Effect.gen(function*() {
  const jobs = yield* delayedJobs({ queue: orderDeadlinesQueue, job: DeadlineJob, unavailable: (cause) => new DeadlinesUnavailable({ cause }) })
  return OrderDeadlines.of({
    schedule: (deadline) => jobs.add(deadline, { id: jobIdOf(deadline), name: deadline.kind }),
    pendingFor: (orderId) => jobs.waitingWithIds(DeadlineKind.literals.map((kind) => jobIdOf({ kind, orderId })))
  })
}))

/**
 * Runs `enforce` for each deadline as it comes due, until the surrounding scope closes. A job that
 * does not decode is kept failed without retry; a failing enforcement is retried with the job's backoff.
 */
export const consumeDeadlines = <E, R>(options: { readonly concurrency: number }, enforce: (deadline: Deadline) => Effect.Effect<void, E, R>) =>
  consumeDelayedJobs({
    queue: orderDeadlinesQueue,
    job: DeadlineJob,
    concurrency: options.concurrency,
    malformed: "DeadlineMalformed",
    failedLog: "deadline job failed"
  }, enforce)
