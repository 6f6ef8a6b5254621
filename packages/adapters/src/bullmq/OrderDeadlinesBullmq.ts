import { Queue, UnrecoverableError, Worker } from "bullmq"
import { Cause, Clock, Effect, Exit, Layer, Schema } from "effect"
import { type Deadline, DeadlineKind, DeadlinesUnavailable, OrderDeadlines } from "@nelo/domain/orders/OrderDeadlines"
import { bullmqConnection } from "./bullmqConnection.ts"
import { JobsConfig } from "./JobsConfig.ts"

/** The queue of the orders' deadlines: one delayed job per deadline. */
export const orderDeadlinesQueue = "order-deadlines"

// BullMQ waits through Redis outages; a consumer must not hang on it: it fails and is retried.
const scheduleTimeout = "5 seconds"

const DeadlineJob = Schema.Struct({ orderId: Schema.String, kind: DeadlineKind, at: Schema.Number })
const decodeJob = Schema.decodeUnknownEffect(DeadlineJob)

/** One job per order and kind: BullMQ ignores an add whose id it holds, so scheduling twice is once. */
// BullMQ refuses ":" in custom ids (its own key separator).
const jobIdOf = (deadline: Pick<Deadline, "kind" | "orderId">) => `${deadline.kind}-${deadline.orderId}`

/**
 * Deadlines as BullMQ delayed jobs: kept in Redis, they survive restarts of the worker and fire at
 * their time (or when a worker comes back).
 */
export const OrderDeadlinesBullmq = Layer.effect(OrderDeadlines, Effect.gen(function*() {
  const { connection, prefix } = yield* bullmqConnection
  const jobs = yield* JobsConfig
  const queue = yield* Effect.acquireRelease(
    Effect.sync(() => {
      const opened = new Queue(orderDeadlinesQueue, { connection, prefix })
      opened.on("error", () => {})
      return opened
    }),
    (opened) => Effect.promise(() => opened.close())
  )
  const unavailable = (cause: unknown) => new DeadlinesUnavailable({ cause })
  return OrderDeadlines.of({
    schedule: (deadline) =>
      Effect.flatMap(Clock.currentTimeMillis, (nowMs) =>
        Effect.tryPromise({
          try: () =>
            queue.add(deadline.kind, { orderId: deadline.orderId, kind: deadline.kind, at: deadline.at.getTime() }, {
              jobId: jobIdOf(deadline),
              delay: Math.max(0, deadline.at.getTime() - nowMs),
              attempts: jobs.attempts,
              backoff: { type: "exponential", delay: jobs.backoffMs },
              removeOnComplete: { age: jobs.keepCompletedSeconds },
              removeOnFail: false
            }),
          catch: unavailable
        })).pipe(
          Effect.timeoutOrElse({ duration: scheduleTimeout, orElse: () => Effect.fail(unavailable("timed out")) }),
          Effect.asVoid
        ),
    pendingFor: (orderId) =>
      Effect.tryPromise({
        try: async () => {
          const found = await Promise.all((["confirmation", "payment"] as const).map((kind) => queue.getJob(jobIdOf({ kind, orderId }))))
          const waiting = await Promise.all(found.map(async (job) => job !== undefined && (await job.isDelayed() || await job.isWaiting()) ? job : undefined))
          return waiting.filter((job) => job !== undefined).map((job): Deadline => ({ orderId, kind: job.data.kind, at: new Date(job.data.at) }))
        },
        catch: unavailable
      })
  })
}))

/**
 * Runs `enforce` for each deadline as it comes due, until the surrounding scope closes. A job that
 * does not decode is kept failed without retry; a failing enforcement is retried with the job's backoff.
 */
export const consumeDeadlines = Effect.fnUntraced(function*<E, R>(
  options: { readonly concurrency: number },
  enforce: (deadline: Deadline) => Effect.Effect<void, E, R>
) {
  const { connection, prefix } = yield* bullmqConnection
  const context = yield* Effect.context<R>()
  const processJob = async (job: { readonly id?: string | undefined; readonly data: unknown; readonly attemptsMade: number }) => {
    const exit = await Effect.runPromiseExit(
      decodeJob(job.data).pipe(
        Effect.mapError((error) => ({ permanent: true, message: `DeadlineMalformed: ${error.message}` })),
        Effect.flatMap((data) =>
          enforce({ orderId: data.orderId, kind: data.kind, at: new Date(data.at) }).pipe(
            Effect.mapError((error) => ({ permanent: false, message: String((error as { _tag?: string })?._tag ?? error) }))
          )
        ),
        Effect.annotateLogs({ queue: orderDeadlinesQueue, jobId: job.id ?? "", attempt: job.attemptsMade + 1 }),
        Effect.provide(context)
      )
    )
    if (Exit.isSuccess(exit)) return
    const failure = Cause.findErrorOption(exit.cause)
    if (failure._tag === "Some") {
      await Effect.runPromise(Effect.logWarning("deadline job failed").pipe(Effect.annotateLogs({ jobId: job.id ?? "", reason: failure.value.message }), Effect.provide(context)))
      throw failure.value.permanent ? new UnrecoverableError(failure.value.message) : new Error(failure.value.message)
    }
    throw new Error(Cause.pretty(exit.cause))
  }
  yield* Effect.acquireRelease(
    Effect.sync(() => {
      const worker = new Worker(orderDeadlinesQueue, processJob, { connection, prefix, concurrency: options.concurrency })
      worker.on("error", () => {})
      return worker
    }),
    (worker) => Effect.promise(() => worker.close())
  )
})
