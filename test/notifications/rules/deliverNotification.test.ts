import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer, type Schema } from "effect"
import { DeliveryLogMemory } from "@nelo/adapters/memory/DeliveryLogMemory"
import { SmsOutbox, SmsSenderMemory } from "@nelo/adapters/memory/SmsSenderMemory"
import { deliverNotification } from "@nelo/domain/notifications/deliverNotification"
import { decodeDomainEvent, type EventOf } from "@nelo/domain/events/DomainEvent"

const event = (payload: unknown) => ({
  id: "0190d6c0-0000-7000-8000-000000000001",
  sequence: 1,
  type: "notification.requested",
  aggregateType: "user",
  aggregateId: "u1",
  payload,
  occurredAt: "2026-11-25T10:00:00.000Z"
})

/** The event as the worker's consumer hands it over: decoded with the event union first. */
const decoded = (payload: unknown) => decodeDomainEvent(event(payload)) as Effect.Effect<EventOf<"notification.requested">, Schema.SchemaError>

layer(Layer.empty)("deliverNotification (in memory)", (it) => {
  it.effect("sends once: a redelivered event is acknowledged without a second SMS", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* Layer.build(Layer.mergeAll(SmsSenderMemory, DeliveryLogMemory))
      const request = yield* decoded({ channel: "sms", to: "+2250701020304", body: "NELO : bonjour" })
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "sent")
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "already-sent")
      assert.deepStrictEqual(Context.get(context, SmsOutbox).sent().map(({ to, body }) => ({ to: String(to), body })), [{ to: "+2250701020304", body: "NELO : bonjour" }])
    })))

  it.effect("a provider failure records nothing, so the retry sends", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* Layer.build(Layer.mergeAll(SmsSenderMemory, DeliveryLogMemory))
      Context.get(context, SmsOutbox).failNext(1)
      const request = yield* decoded({ channel: "sms", to: "+2250701020304", body: "NELO : bonjour" })
      const failure = yield* Effect.flip(deliverNotification(request).pipe(Effect.provide(context)))
      assert.strictEqual(failure._tag, "SmsDeliveryFailed")
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "sent")
    })))

  it.effect("a payload that is not a valid notification is refused as malformed before delivery, and nothing is sent", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* Layer.build(Layer.mergeAll(SmsSenderMemory, DeliveryLogMemory))
      for (const payload of [{ channel: "sms", to: "0701020304", body: "x" }, { channel: "fax", to: "+2250701020304", body: "x" }, { channel: "sms", to: "+2250701020304", body: "" }, null]) {
        const failure = yield* Effect.flip(decoded(payload).pipe(Effect.flatMap(deliverNotification), Effect.provide(context)))
        assert.strictEqual(failure._tag, "SchemaError")
      }
      assert.deepStrictEqual(Context.get(context, SmsOutbox).sent(), [])
    })))
})
