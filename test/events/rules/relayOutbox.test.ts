import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { EventQueueMemory, EventQueueMemoryProbe } from "@nelo/adapters/memory/EventQueueMemory"
import { OutboxStoreMemory } from "@nelo/adapters/memory/OutboxStoreMemory"
import { notificationsQueue } from "@nelo/domain/events/eventRoutes"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import { relayOutbox } from "@nelo/domain/events/relayOutbox"
import { makeEvent } from "../contracts/outboxStoreContract.ts"

// The relay's rules, on in-memory adapters (no server): order, stop at the first failure, no loss.
const fresh = () => Layer.build(Layer.mergeAll(OutboxStoreMemory, EventQueueMemory))

layer(Layer.empty)("relayOutbox (in memory)", (it) => {
  it.effect("publishes routed events in outbox order and marks every event relayed, routed or not", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* fresh()
      const outbox = Context.get(context, OutboxStore)
      const routed = [makeEvent("a", "notification.requested"), makeEvent("b", "notification.requested")]
      // Routed nowhere yet (the admins' feed will consume it).
      const unrouted = makeEvent("a", "wallet.frozen")
      yield* outbox.append([routed[0]!, unrouted, routed[1]!])
      assert.strictEqual(yield* relayOutbox(10).pipe(Effect.provide(context)), 3)
      const published = Context.get(context, EventQueueMemoryProbe).published(notificationsQueue)
      assert.deepStrictEqual(published.map((event) => event.id), routed.map((event) => event.id))
      assert.strictEqual(yield* outbox.pendingCount, 0)
    })))

  it.effect("when the queue is down nothing is marked, and the next pass relays everything in order", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* fresh()
      const outbox = Context.get(context, OutboxStore)
      const probe = Context.get(context, EventQueueMemoryProbe)
      const events = [makeEvent("a", "notification.requested"), makeEvent("a", "notification.requested")]
      yield* outbox.append(events)
      probe.setAvailable(false)
      assert.strictEqual(yield* relayOutbox(10).pipe(Effect.provide(context)), 0)
      assert.strictEqual(yield* outbox.pendingCount, 2)
      probe.setAvailable(true)
      assert.strictEqual(yield* relayOutbox(10).pipe(Effect.provide(context)), 2)
      assert.deepStrictEqual(probe.published(notificationsQueue).map((event) => event.id), events.map((event) => event.id))
    })))

  it.effect("respects the batch size: a full batch leaves the rest for the next pass", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* fresh()
      const outbox = Context.get(context, OutboxStore)
      yield* outbox.append(Array.from({ length: 5 }, (_, index) => makeEvent(`x${index}`, "notification.requested")))
      assert.strictEqual(yield* relayOutbox(3).pipe(Effect.provide(context)), 3)
      assert.strictEqual(yield* outbox.pendingCount, 2)
      assert.strictEqual(yield* relayOutbox(3).pipe(Effect.provide(context)), 2)
    })))
})
