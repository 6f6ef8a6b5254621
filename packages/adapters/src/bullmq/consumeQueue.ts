import { Effect } from "effect"
import { decodeDomainEvent, type EventOf, type EventType } from "@nelo/domain/events/DomainEvent"
import { failureMessage, type JobFailure, jobWorker } from "./jobWorker.ts"

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
export const consumeQueue = <const Type extends EventType, A, E, R>(
  options: ConsumerOptions<Type, E>,
  handle: (event: EventOf<Type>) => Effect.Effect<A, E, R>
) => {
  const handles = (event: { readonly type: EventType }): event is EventOf<Type> => (options.types as ReadonlyArray<EventType>).includes(event.type)
  return jobWorker({ queue: options.queue, concurrency: options.concurrency, failedLog: "job failed" }, (data) =>
    decodeDomainEvent(data).pipe(
      Effect.mapError((error): JobFailure => ({ permanent: true, message: `EventMalformed: ${error.message}` })),
      Effect.flatMap((event) => handles(event) ? Effect.succeed(event) : Effect.fail<JobFailure>({ permanent: true, message: `EventNotHandled: ${event.type} on ${options.queue}` })),
      Effect.flatMap((event) => Effect.mapError(handle(event), (error): JobFailure => ({ permanent: options.isPermanent(error), message: failureMessage(error) })))
    ))
}
