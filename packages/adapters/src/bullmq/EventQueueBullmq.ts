import { Queue } from "bullmq"
import { Effect, Layer } from "effect"
import { EventQueue, EventQueueUnavailable } from "@nelo/domain/events/EventQueue"
import { bullmqConnection } from "./bullmqConnection.ts"
import { JobsConfig } from "./JobsConfig.ts"

// BullMQ waits through Redis outages; the relay must not: it gives up and retries on its next pass.
const publishTimeout = "5 seconds"

/**
 * Events become BullMQ jobs named after the event type, with the event id as job id: BullMQ ignores
 * an add whose job id it already holds, so a relay that publishes again after a crash adds nothing
 * (completed jobs are kept for JOB_KEEP_COMPLETED_SECONDS, the window of that guarantee; consumers
 * deduplicate on the event id beyond it).
 */
export const EventQueueBullmq = Layer.effect(EventQueue, Effect.gen(function*() {
  const { connection, prefix } = yield* bullmqConnection
  const jobs = yield* JobsConfig
  const queues = new Map<string, Queue>()
  yield* Effect.addFinalizer(() => Effect.promise(() => Promise.all([...queues.values()].map((queue) => queue.close()))))
  const queueNamed = (name: string) => {
    let queue = queues.get(name)
    if (!queue) {
      queue = new Queue(name, { connection, prefix })
      queue.on("error", () => {})
      queues.set(name, queue)
    }
    return queue
  }
  return EventQueue.of({
    publish: (name, event) =>
      Effect.tryPromise({
        try: () =>
          queueNamed(name).add(event.type, event, {
            jobId: event.id,
            attempts: jobs.attempts,
            backoff: { type: "exponential", delay: jobs.backoffMs },
            removeOnComplete: { age: jobs.keepCompletedSeconds },
            removeOnFail: false
          }),
        catch: (cause) => new EventQueueUnavailable({ cause })
      }).pipe(
        Effect.timeoutOrElse({ duration: publishTimeout, orElse: () => Effect.fail(new EventQueueUnavailable({ cause: "timed out" })) }),
        Effect.asVoid
      )
  })
}))
