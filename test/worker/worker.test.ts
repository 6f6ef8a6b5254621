import { randomBytes } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Queue } from "bullmq"
import { Context, Deferred, Effect, Exit, Layer, Scope } from "effect"
import { SqlClient } from "effect/sql"
import { Redis } from "ioredis"
import { EventQueueBullmq } from "@nelo/adapters/bullmq/EventQueueBullmq"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { PushSenderMemory } from "@nelo/adapters/memory/PushSenderMemory"
import { SmsOutbox, SmsSenderMemory } from "@nelo/adapters/memory/SmsSenderMemory"
import { OutboxStorePostgres } from "@nelo/adapters/postgres/OutboxStorePostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import type { NewDomainEvent } from "@nelo/domain/events/DomainEvent"
import type { Phone } from "@nelo/domain/shared/Phone"
import { EventQueue } from "@nelo/domain/events/EventQueue"
import { notificationsQueue } from "@nelo/domain/events/eventRoutes"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import { SmsSender } from "@nelo/domain/notifications/SmsSender"
import { NotificationsConsumer, OutboxRelay, WorkerLayer } from "../../apps/worker/src/WorkerLayer.ts"
import { captureLogs, eventually } from "../support/captureLogs.ts"
import { deleteRedisKeys } from "../support/globalSetup.ts"
import { isolatedDatabase } from "../support/isolatedDatabase.ts"
import { withEnv } from "../support/withEnv.ts"

const smsEvent = (to: string, body: string): NewDomainEvent => ({
  id: uuidV7(Date.now()),
  type: "notification.requested",
  aggregateType: "user",
  aggregateId: "user-1",
  payload: { channel: "sms", to: to as Phone, body },
  occurredAt: new Date().toISOString()
})

/** A worker environment of its own: database, Redis prefix, fast retries. */
const isolatedWorkerEnv = Effect.gen(function*() {
  const databaseUrl = yield* isolatedDatabase("worker")
  const redisKeyPrefix = `nelo-test-worker-${randomBytes(4).toString("hex")}`
  yield* Effect.addFinalizer(() => Effect.promise(() => deleteRedisKeys(redisKeyPrefix)))
  const env = withEnv({ DATABASE_URL: databaseUrl, REDIS_KEY_PREFIX: redisKeyPrefix, JOB_BACKOFF_MS: "20", JOB_ATTEMPTS: "4", OUTBOX_POLL_INTERVAL_MS: "50" })
  const connection = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null })
  const queue = new Queue(notificationsQueue, { connection, prefix: `${redisKeyPrefix}:queues` })
  yield* Effect.addFinalizer(() => Effect.promise(async () => {
    await queue.close()
    connection.disconnect()
  }))
  return { env, queue }
})

layer(Layer.empty, { excludeTestServices: true, timeout: "60 seconds" })("worker", (it) => {
  it.effect("an outbox event becomes one SMS log line with `to` and `body` (console adapter), recorded once", () =>
    Effect.scoped(Effect.gen(function*() {
      const { env, queue } = yield* isolatedWorkerEnv
      const logs = captureLogs()
      const context = yield* Layer.build(Layer.mergeAll(WorkerLayer, OutboxStorePostgres, EventQueueBullmq).pipe(
        Layer.provide(PostgresLayer), Layer.provide(env), Layer.provide(logs.layer)
      ))
      const event = smsEvent("+2250701020304", "NELO : votre code de connexion est 482913.")
      yield* Context.get(context, OutboxStore).append([event])

      const line = yield* eventually(() => logs.lines.find((entry) => entry.message === "sms sent (console)"), 10_000, "the SMS log line")
      assert.strictEqual(line.annotations.to, "+2250701020304")
      assert.strictEqual(line.annotations.body, "NELO : votre code de connexion est 482913.")

      // Publishing the same event again (a relay crashed before marking it) sends nothing more.
      yield* Context.get(context, EventQueue).publish(notificationsQueue, { ...event, sequence: 1 })
      yield* Effect.sleep("500 millis")
      assert.strictEqual(logs.lines.filter((entry) => entry.message === "sms sent (console)").length, 1)
      const job = yield* Effect.promise(() => queue.getJob(event.id))
      assert.strictEqual(yield* Effect.promise(() => job!.getState()), "completed")
    })))

  it.effect("a failing SMS provider is retried with backoff until the message goes out", () =>
    Effect.scoped(Effect.gen(function*() {
      const { env, queue } = yield* isolatedWorkerEnv
      const sms = yield* Layer.build(SmsSenderMemory)
      Context.get(sms, SmsOutbox).failNext(2)
      const context = yield* Layer.build(Layer.mergeAll(OutboxRelay, NotificationsConsumer, OutboxStorePostgres).pipe(
        Layer.provide(Layer.succeedContext(sms)), Layer.provide(PushSenderMemory), Layer.provide(PostgresLayer), Layer.provide(env), Layer.provide(captureLogs().layer)
      ))
      const event = smsEvent("+2250501020304", "NELO : votre commande est en route.")
      yield* Context.get(context, OutboxStore).append([event])
      const sent = yield* eventually(() => Context.get(sms, SmsOutbox).sent()[0], 10_000, "the SMS after two failures")
      assert.strictEqual(sent.to, "+2250501020304")
      // The SMS leaves before BullMQ records the job's completion: wait for the record.
      // The job is read after its state says completed: read before, it could hold the attempts
      // count of the moment just before completion.
      const job = yield* eventually(
        Effect.promise(async () => ((await queue.getJobState(event.id)) === "completed" ? await queue.getJob(event.id) : undefined)),
        10_000,
        "the job's completion"
      )
      assert.strictEqual(job.attemptsMade, 3, "two failed attempts, then the successful one")
    })))

  it.effect("a malformed notification fails at once and is kept in the failed set for inspection", () =>
    Effect.scoped(Effect.gen(function*() {
      const { env, queue } = yield* isolatedWorkerEnv
      const sms = yield* Layer.build(SmsSenderMemory)
      const context = yield* Layer.build(Layer.mergeAll(OutboxRelay, NotificationsConsumer).pipe(
        Layer.provide(Layer.succeedContext(sms)), Layer.provide(PushSenderMemory), Layer.provideMerge(PostgresLayer), Layer.provide(env), Layer.provide(captureLogs().layer)
      ))
      // Our writers cannot append it (the outbox encodes with the event union): one that bypassed
      // the schema, an older version say, wrote it straight into the table.
      const event = smsEvent("0701020304", "pas un numéro E.164")
      const sql = Context.get(context, SqlClient.SqlClient)
      yield* sql`INSERT INTO events.outbox (id, type, aggregate_type, aggregate_id, payload, occurred_at)
        VALUES (${event.id}, ${event.type}, ${event.aggregateType}, ${event.aggregateId}, ${JSON.stringify(event.payload)}::jsonb, now())`
      const failed = yield* eventually(
        Effect.promise(() => queue.getFailed()).pipe(Effect.map((jobs) => jobs.length > 0 ? jobs : undefined)),
        10_000,
        "the failed job"
      )
      assert.strictEqual(failed.length, 1)
      assert.strictEqual(failed[0]!.id, event.id)
      assert.strictEqual(failed[0]!.attemptsMade, 1, "no retry for a job that can never succeed")
      assert.match(failed[0]!.failedReason, /EventMalformed/u)
      assert.deepStrictEqual(Context.get(sms, SmsOutbox).sent(), [])
    })))

  it.effect("shutting down lets the running job finish: the message in flight is sent and recorded", () =>
    Effect.scoped(Effect.gen(function*() {
      const { env } = yield* isolatedWorkerEnv
      const started = yield* Deferred.make<void>()
      const finished: Array<string> = []
      const slowSms = Layer.succeed(SmsSender, SmsSender.of({
        send: (message) => Deferred.succeed(started, undefined).pipe(
          Effect.andThen(Effect.sleep("700 millis")),
          Effect.andThen(Effect.sync(() => finished.push(message.body)))
        )
      }))
      const infrastructure = yield* Layer.build(OutboxStorePostgres.pipe(Layer.provideMerge(PostgresLayer), Layer.provide(env)))
      const workerScope = yield* Scope.make()
      yield* Layer.buildWithScope(Layer.mergeAll(OutboxRelay, NotificationsConsumer).pipe(
        Layer.provide(slowSms), Layer.provide(PushSenderMemory), Layer.provide(Layer.succeedContext(infrastructure)), Layer.provide(env), Layer.provide(captureLogs().layer)
      ), workerScope)
      const event = smsEvent("+2250101020304", "NELO : livraison dans 5 minutes.")
      yield* Context.get(infrastructure, OutboxStore).append([event])
      yield* Deferred.await(started).pipe(Effect.timeout("10 seconds"))
      // SIGTERM in the worker process closes this scope.
      yield* Scope.close(workerScope, Exit.void)
      assert.deepStrictEqual(finished, ["NELO : livraison dans 5 minutes."])
      const sql = Context.get(infrastructure, SqlClient.SqlClient)
      const rows = yield* sql<{ eventId: string }>`SELECT event_id FROM notifications.deliveries`
      assert.deepStrictEqual(rows.map((row) => row.eventId), [event.id])
    })))
})
