import { randomBytes } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Queue } from "bullmq"
import { Context, Effect, Layer, Ref } from "effect"
import { Redis } from "ioredis"
import { EventQueueBullmq } from "@nelo/adapters/bullmq/EventQueueBullmq"
import { OutboxStorePostgres } from "@nelo/adapters/postgres/OutboxStorePostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { notificationsQueue } from "@nelo/domain/events/eventRoutes"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import { relayOutbox } from "@nelo/domain/events/relayOutbox"
import { deleteRedisKeys } from "../../support/globalSetup.ts"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { withEnv } from "../../support/withEnv.ts"
import { makeEvent } from "./outboxStoreContract.ts"

// Two relays, each with its own connection pool and its own BullMQ connection (as two worker
// processes would have), race over one outbox. Every event must reach the queue exactly once, and
// each aggregate's events in the order they were written.
const eventCount = 300
const aggregateCount = 6

layer(Layer.empty, { excludeTestServices: true, timeout: "60 seconds" })("outbox relay race", (it) => {
  it.effect("two relays publish every event exactly once, in order per aggregate", () =>
    Effect.scoped(Effect.gen(function*() {
      const databaseUrl = yield* isolatedDatabase("relay_race")
      const redisKeyPrefix = `nelo-test-race-${randomBytes(4).toString("hex")}`
      yield* Effect.addFinalizer(() => Effect.promise(() => deleteRedisKeys(redisKeyPrefix)))
      const env = withEnv({ DATABASE_URL: databaseUrl, REDIS_KEY_PREFIX: redisKeyPrefix })
      // Layer.fresh: each relay gets its own pool and queue connection, not a shared memoised one.
      const relayLayer = () =>
        Layer.mergeAll(OutboxStorePostgres.pipe(Layer.provide(Layer.fresh(PostgresLayer))), Layer.fresh(EventQueueBullmq)).pipe(Layer.provide(env))
      const relayA = yield* Layer.build(relayLayer())
      const relayB = yield* Layer.build(relayLayer())

      const events = Array.from({ length: eventCount }, (_, index) =>
        makeEvent(`aggregate-${index % aggregateCount}`, "notification.requested"))
      const outbox = Context.get(relayA, OutboxStore)
      // Appended in several transactions, as use cases would.
      for (let start = 0; start < eventCount; start += 50) yield* outbox.append(events.slice(start, start + 50))

      // Small batches force many passes, so the two relays really contend for the claim.
      const relayedBy = { a: yield* Ref.make(0), b: yield* Ref.make(0) }
      const runRelay = (context: typeof relayA, counter: Ref.Ref<number>) =>
        Effect.gen(function*() {
          while ((yield* outbox.pendingCount) > 0) {
            const relayed = yield* relayOutbox(7).pipe(Effect.provide(context))
            yield* Ref.update(counter, (total) => total + relayed)
            yield* Effect.yieldNow
          }
        })
      yield* Effect.all([runRelay(relayA, relayedBy.a), runRelay(relayB, relayedBy.b)], { concurrency: 2 })

      const totalRelayed = (yield* Ref.get(relayedBy.a)) + (yield* Ref.get(relayedBy.b))
      assert.strictEqual(totalRelayed, eventCount, "the relays together relayed each event once")

      const connection = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null })
      const queue = new Queue(notificationsQueue, { connection, prefix: `${redisKeyPrefix}:queues` })
      yield* Effect.addFinalizer(() => Effect.promise(async () => {
        await queue.close()
        connection.disconnect()
      }))
      const jobs = yield* Effect.promise(() => queue.getJobs(["wait"], 0, -1, true))
      assert.strictEqual(jobs.length, eventCount, "one job per event")
      assert.strictEqual(new Set(jobs.map((job) => job.id)).size, eventCount)
      assert.deepStrictEqual(new Set(jobs.map((job) => job.id)), new Set(events.map((event) => event.id)))

      // The wait list is BullMQ's FIFO (new jobs pushed on the left): reversed, it is publication
      // order, which must follow outbox order, hence each aggregate's order.
      const waitList = yield* Effect.promise(() => connection.lrange(`${redisKeyPrefix}:queues:${notificationsQueue}:wait`, 0, -1))
      const published = waitList.reverse()
      assert.strictEqual(published.length, eventCount)
      const positionInOutbox = new Map(events.map((event, index) => [event.id, index]))
      const aggregateOf = new Map(events.map((event) => [event.id, event.aggregateId]))
      for (let aggregate = 0; aggregate < aggregateCount; aggregate++) {
        const order = published
          .filter((jobId) => aggregateOf.get(jobId) === `aggregate-${aggregate}`)
          .map((jobId) => positionInOutbox.get(jobId)!)
        assert.deepStrictEqual(order, [...order].sort((left, right) => left - right), `aggregate-${aggregate} in order`)
      }
    })))
})
