import { UnrecoverableError, Worker } from "bullmq"
import { Cause, Effect, Exit } from "effect"
import { decodeDomainEvent, type EventOf, type EventType } from "@nelo/domain/events/DomainEvent"
import { bullmqConnection } from "./bullmqConnection.ts"

export interface ConsumerOptions<Type extends EventType, E> {
  readonly queue: string
  /** The event types this consumer handles; any other arriving here is a routing bug, kept failed. */
  readonly types: ReadonlyArray<Type>
  readonly concurrency: number
  /** Failures not worth retrying: the job fails at once and is kept. */
  readonly isPermanent: (error: E) => boolean
}

/**
 * Consumes a queue of domain events with an Effect handler, until the surrounding scope closes.
 * Each job is decoded with the domain's event union first: one that does not decode (EventMalformed)
 * or is of a type this consumer does not handle fails at once, without retry, and is kept.
 * A failing handler makes BullMQ retry with the job's backoff; permanent failures and exhausted
 * retries leave the job in the failed set for inspection. Closing waits for running jobs to finish.
 */
export const consumeQueue = Effect.fnUntraced(function*<const Type extends EventType, A, E, R>(
  options: ConsumerOptions<Type, E>,
  handle: (event: EventOf<Type>) => Effect.Effect<A, E, R>
) {
  const { connection, prefix } = yield* bullmqConnection
  const context = yield* Effect.context<R>()
  const handles = (event: { readonly type: EventType }): event is EventOf<Type> => (options.types as ReadonlyArray<EventType>).includes(event.type)

  const processJob = async (job: { readonly id?: string | undefined; readonly data: unknown; readonly attemptsMade: number }) => {
    const exit = await Effect.runPromiseExit(
      decodeDomainEvent(job.data).pipe(
        Effect.mapError((error) => ({ permanent: true, message: `EventMalformed: ${error.message}` })),
        Effect.flatMap((event) => handles(event) ? Effect.succeed(event) : Effect.fail({ permanent: true, message: `EventNotHandled: ${event.type} on ${options.queue}` })),
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

