import { assert, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import type { NewDomainEvent } from "@nelo/domain/events/DomainEvent"
import type { Phone } from "@nelo/domain/shared/Phone"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"

let counter = 0
/** A valid event of the union: a notification by default, or a wallet freeze change. */
export const makeEvent = (aggregateId: string, type: "notification.requested" | "wallet.frozen" | "wallet.unfrozen" = "notification.requested"): NewDomainEvent => {
  counter += 1
  const envelope = { id: uuidV7(Date.now()), aggregateType: "test", aggregateId, occurredAt: new Date(1_780_000_000_000 + counter).toISOString() }
  return type === "notification.requested"
    ? { ...envelope, type, payload: { channel: "sms", to: "+2250700000001" as Phone, body: `message ${counter}` } }
    : { ...envelope, type, payload: { userId: "user", accountId: aggregateId, reason: `raison ${counter}`, causedBy: { kind: "system", id: "test" } } }
}

/** One suite, run against every OutboxStore adapter. Each adapter instance must start empty. */
export const outboxStoreContract = (name: string, storeLayer: Layer.Layer<OutboxStore, unknown>) =>
  layer(storeLayer, { excludeTestServices: true })(`OutboxStore contract: ${name}`, (it) => {
    it.effect("hands out pending events oldest first, and forgets them once marked relayed", () =>
      Effect.gen(function*() {
        const outbox = yield* OutboxStore
        const events = [makeEvent("a"), makeEvent("b"), makeEvent("a")]
        yield* outbox.append(events)
        assert.strictEqual(yield* outbox.pendingCount, 3)
        const firstTwo = yield* outbox.withClaim(2, (batch) =>
          batch.markRelayed(batch.events.map((event) => event.id)).pipe(Effect.as(batch.events)))
        assert.deepStrictEqual(firstTwo?.map((event) => event.id), [events[0]!.id, events[1]!.id])
        assert.isTrue(firstTwo![0]!.sequence < firstTwo![1]!.sequence)
        assert.deepStrictEqual(firstTwo![0]!.payload, events[0]!.payload)
        const rest = yield* outbox.withClaim(10, (batch) => batch.markRelayed(batch.events.map((event) => event.id)).pipe(Effect.as(batch.events)))
        assert.deepStrictEqual(rest?.map((event) => event.id), [events[2]!.id])
        assert.strictEqual(yield* outbox.pendingCount, 0)
      }))

    it.effect("keeps insertion order past nine events (sequence compared as a number)", () =>
      Effect.gen(function*() {
        const outbox = yield* OutboxStore
        const events = Array.from({ length: 25 }, (_, index) => makeEvent(`order-${index % 3}`))
        yield* outbox.append(events)
        const claimed = yield* outbox.withClaim(100, (batch) => batch.markRelayed(batch.events.map((event) => event.id)).pipe(Effect.as(batch.events)))
        assert.deepStrictEqual(claimed?.map((event) => event.id), events.map((event) => event.id))
      }))

    it.effect("a second claim while one is held gets nothing (one relay at a time)", () =>
      Effect.gen(function*() {
        const outbox = yield* OutboxStore
        yield* outbox.append([makeEvent("c")])
        const inner = yield* outbox.withClaim(10, () => outbox.withClaim(10, (batch) => Effect.succeed(batch.events.length)))
        assert.strictEqual(inner, undefined)
        yield* outbox.withClaim(10, (batch) => batch.markRelayed(batch.events.map((event) => event.id)))
      }))

    it.effect("events not marked stay pending for the next claim", () =>
      Effect.gen(function*() {
        const outbox = yield* OutboxStore
        const event = makeEvent("d")
        yield* outbox.append([event])
        yield* outbox.withClaim(10, () => Effect.void)
        const again = yield* outbox.withClaim(10, (batch) => batch.markRelayed(batch.events.map((entry) => entry.id)).pipe(Effect.as(batch.events)))
        assert.deepStrictEqual(again?.map((entry) => entry.id), [event.id])
      }))
  })
