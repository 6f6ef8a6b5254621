import { UnrecoverableError, Worker } from "bullmq"
import { Cause, Effect, Exit } from "effect"
import { bullmqConnection } from "./bullmqConnection.ts"

/** Why a job failed: a permanent failure fails it at once (kept, never retried); others are retried. */
export interface JobFailure {
  readonly permanent: boolean
  readonly message: string
}

/** A handler's error as the job's failure message: its `_tag` when it has one. */
export const failureMessage = (error: unknown): string => String((error as { _tag?: string } | undefined)?._tag ?? error)

/**
 * Runs `handle` on each job's data of `queue` with a BullMQ Worker, until the surrounding scope
 * closes. A failing job is logged (`failedLog`) and retried with its backoff unless the failure is
 * permanent; permanent failures and exhausted retries leave it in the failed set for inspection.
 * What `handle` returns is kept as the job's return value. Closing waits for running jobs to finish.
 */
export const jobWorker = Effect.fnUntraced(function*<A, R>(
  options: {
    readonly queue: string
    readonly concurrency: number
    readonly failedLog: string
    /**
     * How long a job's lock lasts without renewal (BullMQ renews it at half while the process
     * lives), and how often stalled jobs are looked for: a job whose worker died is run again
     * within about their sum. BullMQ's 30 s each by default.
     */
    readonly lockDurationMs?: number
    readonly stalledIntervalMs?: number
  },
  handle: (data: unknown) => Effect.Effect<A, JobFailure, R>
) {
  const { connection, prefix } = yield* bullmqConnection
  const context = yield* Effect.context<R>()
  const processJob = async (job: { readonly id?: string | undefined; readonly data: unknown; readonly attemptsMade: number }) => {
    const exit = await Effect.runPromiseExit(
      handle(job.data).pipe(
        Effect.annotateLogs({ queue: options.queue, jobId: job.id ?? "", attempt: job.attemptsMade + 1 }),
        Effect.provide(context)
      )
    )
    if (Exit.isSuccess(exit)) return exit.value
    const failure = Cause.findErrorOption(exit.cause)
    if (failure._tag === "Some") {
      await Effect.runPromise(Effect.logWarning(options.failedLog).pipe(Effect.annotateLogs({ queue: options.queue, jobId: job.id ?? "", reason: failure.value.message }), Effect.provide(context)))
      throw failure.value.permanent ? new UnrecoverableError(failure.value.message) : new Error(failure.value.message)
    }
    throw new Error(Cause.pretty(exit.cause))
  }
  yield* Effect.acquireRelease(
    Effect.sync(() => {
      const worker = new Worker(options.queue, processJob, {
        connection,
        prefix,
        concurrency: options.concurrency,
        ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
        ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs })
      })
      worker.on("error", () => {})
      return worker
    }),
    // close() without force waits for the jobs in progress.
    (worker) => Effect.promise(() => worker.close())
  )
})
