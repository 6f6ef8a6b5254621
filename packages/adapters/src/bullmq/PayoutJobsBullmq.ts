import { Queue } from "bullmq"
import { Effect, Schema } from "effect"
import { bullmqConnection } from "./bullmqConnection.ts"
import { failureMessage, type JobFailure, jobWorker } from "./jobWorker.ts"
import { JobsConfig } from "./JobsConfig.ts"

/** The worker's payouts queue: runs (scheduled or asked) and the steps of each payout. */
export const payoutsQueue = "payouts"

/** A run of payouts, started by `startedBy`; or one step of one payout. */
export const PayoutJob = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("run"), startedBy: Schema.String }),
  Schema.Struct({ kind: Schema.Literal("advance"), payoutId: Schema.String })
])
export type PayoutJob = typeof PayoutJob.Type

// BullMQ waits through Redis outages; the sweep must not hang on it: it fails and tries next time.
const addTimeout = "5 seconds"

/**
 * The payouts queue on the app's Redis, closed with the surrounding scope. Job ids make adds
 * idempotent (BullMQ ignores an id it holds): `run-<slot>` once per scheduled slot whatever the
 * number of workers, `advance-<payout>-<attempts>` once per step of a payout. Ids hold no ":".
 */
export const payoutJobs = Effect.gen(function*() {
  const { connection, prefix } = yield* bullmqConnection
  const jobs = yield* JobsConfig
  const queue = yield* Effect.acquireRelease(
    Effect.sync(() => {
      const opened = new Queue(payoutsQueue, { connection, prefix })
      opened.on("error", () => {})
      return opened
    }),
    (opened) => Effect.promise(() => opened.close())
  )
  const encode = Schema.encodeSync(PayoutJob)
  return {
    add: (job: PayoutJob, id: string) =>
      Effect.tryPromise(() =>
        queue.add(job.kind, encode(job), {
          jobId: id.replaceAll(":", "-"),
          attempts: jobs.attempts,
          backoff: { type: "exponential", delay: jobs.backoffMs },
          removeOnComplete: { age: jobs.keepCompletedSeconds },
          // A failed step is removed: BullMQ ignores an add whose id it holds, even failed, so a kept
          // one would stop the sweep from ever queueing that step again. The payout's state is the
          // store's, the failure is in the log: nothing is lost by letting the job go.
          removeOnFail: true
        })
      ).pipe(
        Effect.asVoid,
        Effect.timeoutOrElse({ duration: addTimeout, orElse: () => Effect.fail(new Error("payouts queue: add timed out")) })
      )
  }
})

/** Runs `handle` on each payout job until the surrounding scope closes; a job that does not decode is failed for good. */
export const consumePayoutJobs = <E, R>(options: { readonly concurrency: number }, handle: (job: PayoutJob) => Effect.Effect<unknown, E, R>) => {
  const decode = Schema.decodeUnknownEffect(PayoutJob)
  // A step cut short by a dead worker is run again within ~15 s rather than BullMQ's minute: the
  // sweep cannot queue it meanwhile (BullMQ ignores an add whose id a stalled job still holds).
  return jobWorker({ queue: payoutsQueue, concurrency: options.concurrency, failedLog: "payout job failed", lockDurationMs: 10_000, stalledIntervalMs: 5_000 }, (data) =>
    decode(data).pipe(
      Effect.mapError((error): JobFailure => ({ permanent: true, message: `PayoutJobMalformed: ${error.message}` })),
      Effect.flatMap((job) => Effect.mapError(handle(job), (error): JobFailure => ({ permanent: false, message: failureMessage(error) })))
    ))
}
