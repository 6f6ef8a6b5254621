import { UnrecoverableError, Worker } from "bullmq"
import { Cause, Effect, Exit, Schema } from "effect"
import { DomainEvent } from "@nelo/domain/events/DomainEvent"
import { bullmqConnection } from "./bullmqConnection.ts"

export interface ConsumerOptions<E> {
  readonly queue: string
  readonly concurrency: number
  /** Failures not worth retrying (the job is malformed): the job fails at once and is kept. */
  readonly isPermanent: (error: E) => boolean
}

/**
 * Consumes a queue of domain events with an Effect handler, until the surrounding scope closes.
 * A failing handler makes BullMQ retry with the job's backoff; permanent failures and exhausted
 * retries leave the job in the failed set for inspection. Closing waits for running jobs to finish.
 */
export const consumeQueue = Effect.fnUntraced(function*<A, E, R>(
  options: ConsumerOptions<E>,
  handle: (event: DomainEvent) => Effect.Effect<A, E, R>
) {
  const { connection, prefix } = yield* bullmqConnection
  const context = yield* Effect.context<R>()
  const decode = Schema.decodeUnknownEffect(DomainEvent)

  const processJob = async (job: { readonly id?: string | undefined; readonly data: unknown; readonly attemptsMade: number }) => {
    const exit = await Effect.runPromiseExit(
      decode(job.data).pipe(
        Effect.mapError((error) => ({ permanent: true, message: `not a domain event: ${error.message}` })),
        Effect.flatMap((event) =>
          handle(event).pipe(
            Effect.mapError((error) => ({ permanent: options.isPermanent(error), message: String((error as { _tag?: string })?._tag ?? error) }))
          )
        ),
        Effect.annotateLogs({ queue: options.queue, jobId: job.id ?? "", attempt: job.attemptsMade + 1 }),
        Effect.provide(context)
      )
    )
    if (Exit.isSuccess(exit)) return exit.value
    const failure = Cause.findErrorOption(exit.cause)
    if (failure._tag === "Some") {
      await Effect.runPromise(Effect.logWarning("job failed").pipe(Effect.annotateLogs({ queue: options.queue, jobId: job.id ?? "", reason: failure.value.message }), Effect.provide(context)))
      throw failure.value.permanent ? new UnrecoverableError(failure.value.message) : new Error(failure.value.message)
    }
    throw new Error(Cause.pretty(exit.cause))
  }

  yield* Effect.acquireRelease(
    Effect.sync(() => {
      const worker = new Worker(options.queue, processJob, { connection, prefix, concurrency: options.concurrency })
      worker.on("error", () => {})
      return worker
    }),
    // close() without force waits for the jobs in progress: a running SMS send is finished.
    (worker) => Effect.promise(() => worker.close())
  )
})

