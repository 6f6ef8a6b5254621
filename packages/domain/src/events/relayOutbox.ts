import { Effect } from "effect"
import { EventQueue } from "./EventQueue.ts"
import { queuesFor } from "./eventRoutes.ts"
import { OutboxStore } from "./OutboxStore.ts"

/**
 * One pass of the outbox relay: claim the pending events, publish each one, in order, to every
 * queue that consumes its type, and mark it relayed. An event is marked only after it was
 * published; if publishing fails the pass stops there, so later events of the same aggregate wait
 * behind it (order kept) and the failed one is retried on the next pass. Returns how many events
 * were relayed (0 when another relay holds the claim).
 */
export const relayOutbox = Effect.fn("relayOutbox")(function*(batchSize: number) {
  const outbox = yield* OutboxStore
  const queue = yield* EventQueue
  const relayed = yield* outbox.withClaim(batchSize, (batch) =>
    Effect.gen(function*() {
      const done: Array<string> = []
      for (const event of batch.events) {
        const published = yield* Effect.forEach(queuesFor(event.type), (name) => queue.publish(name, event), { discard: true }).pipe(
          Effect.as(true),
          Effect.catchTag("EventQueueUnavailable", (error) =>
            Effect.logWarning("outbox relay: publishing failed, will retry").pipe(Effect.annotateLogs({ eventId: event.id, cause: String(error.cause) }), 
              Effect.as(false)
            ))
        )
        if (!published) break
        done.push(event.id)
      }
      if (done.length > 0) yield* batch.markRelayed(done)
      return done.length
    }))
  return relayed ?? 0
})
