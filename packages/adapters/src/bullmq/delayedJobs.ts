import { Queue } from "bullmq"
import { Clock, Effect, Schema } from "effect"
import { bullmqConnection } from "./bullmqConnection.ts"
import { failureMessage, type JobFailure, jobWorker } from "./jobWorker.ts"
import { JobsConfig } from "./JobsConfig.ts"

// BullMQ waits through Redis outages; a caller must not hang on it: it fails and is retried.
const scheduleTimeout = "5 seconds"

/** A queue of delayed jobs, each the encoding of one value of `A` that names its own time. */
export interface DelayedJobsOptions<A extends { readonly at: Date }, I, E> {
  readonly queue: string
  /** What a job carries: encoded into the job's data when added, decoded when read or run. */
  readonly job: Schema.Codec<A, I>
  /** The port's error for Redis being unreachable or too slow (the cause: BullMQ's error, or "timed out"). */
  readonly unavailable: (cause: unknown) => E
}

export interface DelayedJobs<A, E> {
  /**
   * Adds a job run at `value.at` (at once if that is past), with the jobs' retries (`JobsConfig`).
   * BullMQ ignores an add whose id it holds: the same id added twice is the first one, also after
   * it ran while its job is kept (JOB_KEEP_COMPLETED_SECONDS; failed jobs are kept for good). Ids
   * must not hold ":" (BullMQ's own key separator refuses them).
   */
  readonly add: (value: A, job: { readonly id: string; readonly name: string }) => Effect.Effect<void, E>
  /** The values of the jobs among these ids that still wait (delayed, or due and not yet taken). */
  readonly waitingWithIds: (ids: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<A>, E>
  /**
   * The values of every waiting job that `keep` keeps. It reads the whole queue's waiting jobs
   * (BullMQ cannot look jobs up by their data): for support and tests, never on a hot path.
   */
  readonly waitingWhere: (keep: (value: A) => boolean) => Effect.Effect<ReadonlyArray<A>, E>
}

/** Opens a queue of delayed jobs on the app's Redis; closed with the surrounding scope. */
export const delayedJobs = Effect.fnUntraced(function*<A extends { readonly at: Date }, I, E>(options: DelayedJobsOptions<A, I, E>) {
  const { connection, prefix } = yield* bullmqConnection
  const jobs = yield* JobsConfig
  const queue = yield* Effect.acquireRelease(
    Effect.sync(() => {
      const opened = new Queue(options.queue, { connection, prefix })
      opened.on("error", () => {})
      return opened
    }),
    (opened) => Effect.promise(() => opened.close())
  )
  const encode = Schema.encodeEffect(options.job)
  const decode = Schema.decodeUnknownSync(options.job)
  const read = <T>(find: () => Promise<T>) => Effect.tryPromise({ try: find, catch: options.unavailable })
  // A job in this queue that does not decode is a bug: reading it fails (as unavailable, through `read`).
  const decodeJobs = (found: ReadonlyArray<{ readonly data: unknown } | undefined>) =>
    found.filter((job) => job !== undefined).map((job) => decode(job.data))
  const isWaiting = async (job: Awaited<ReturnType<typeof queue.getJob>>) =>
    job !== undefined && (await job.isDelayed() || await job.isWaiting()) ? job : undefined

  const delayed: DelayedJobs<A, E> = {
    add: (value, job) =>
      Effect.gen(function*() {
        // A value that does not encode (an invalid date) is the caller's bug, not Redis being away.
        const data = yield* Effect.orDie(encode(value))
        const nowMs = yield* Clock.currentTimeMillis
        yield* read(() =>
          queue.add(job.name, data, {
            jobId: job.id,
            delay: Math.max(0, value.at.getTime() - nowMs),
            attempts: jobs.attempts,
            backoff: { type: "exponential", delay: jobs.backoffMs },
            removeOnComplete: { age: jobs.keepCompletedSeconds },
            removeOnFail: false
          })
        )
      }).pipe(
        Effect.timeoutOrElse({ duration: scheduleTimeout, orElse: () => Effect.fail(options.unavailable("timed out")) })
      ),
    waitingWithIds: (ids) =>
      read(async () => decodeJobs(await Promise.all(ids.map(async (id) => isWaiting(await queue.getJob(id)))))),
    waitingWhere: (keep) =>
      read(async () => decodeJobs(await queue.getJobs(["delayed", "waiting"]))).pipe(Effect.map((values) => values.filter(keep)))
  }
  return delayed
})

export interface ConsumeDelayedJobsOptions<A, I> {
  readonly queue: string
  readonly job: Schema.Codec<A, I>
  readonly concurrency: number
  /** The failure's name for a job that does not decode (kept failed, never retried), e.g. "DeadlineMalformed". */
  readonly malformed: string
  /** The warning logged when a job fails, e.g. "deadline job failed". */
  readonly failedLog: string
}

/**
 * Runs `run` on each job's decoded value as it comes due, until the surrounding scope closes. A job
 * that does not decode is kept failed without retry; a failing run is retried with the job's backoff
 * (exhausted retries leave the job in the failed set for inspection). Closing waits for running jobs.
 */
export const consumeDelayedJobs = <A, I, E, R>(options: ConsumeDelayedJobsOptions<A, I>, run: (value: A) => Effect.Effect<void, E, R>) => {
  const decode = Schema.decodeUnknownEffect(options.job)
  return jobWorker(options, (data) =>
    decode(data).pipe(
      Effect.mapError((error): JobFailure => ({ permanent: true, message: `${options.malformed}: ${error.message}` })),
      Effect.flatMap((value) => Effect.mapError(run(value), (error): JobFailure => ({ permanent: false, message: failureMessage(error) })))
    ))
}
