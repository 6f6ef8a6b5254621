import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer, type Schema } from "effect"
import { DeliveryLogMemory } from "@nelo/adapters/memory/DeliveryLogMemory"
import { DeviceRepositoryMemory } from "@nelo/adapters/memory/DeviceRepositoryMemory"
import { PushOutbox, PushSenderMemory } from "@nelo/adapters/memory/PushSenderMemory"
import { SmsOutbox, SmsSenderMemory } from "@nelo/adapters/memory/SmsSenderMemory"
import { deliverNotification } from "@nelo/domain/notifications/deliverNotification"
import { decodeDomainEvent, type EventOf } from "@nelo/domain/events/DomainEvent"
import { DeviceRepository } from "@nelo/domain/users/DeviceRepository"
import type { UserId } from "@nelo/domain/users/User"

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

const notifier = () => Layer.build(Layer.mergeAll(SmsSenderMemory, PushSenderMemory, DeviceRepositoryMemory, DeliveryLogMemory))

const customer = "0190d6c0-0000-7000-8000-0000000000c1" as UserId
const phoneToken = "fcm-phone-0123456789abcdefghij"
const tabletToken = "fcm-tablet-0123456789abcdefghij"

/** Registers the customer's phone (seen last) and tablet. */
const registerDevices = (context: Context.Context<DeviceRepository>, tokens: ReadonlyArray<string> = [phoneToken, tabletToken]) =>
  Effect.forEach(tokens, (token, index) =>
    Context.get(context, DeviceRepository).register({
      id: `0190d6c0-0000-7000-8000-00000000000${index}`,
      userId: customer,
      token,
      platform: "android",
      now: new Date(Date.UTC(2026, 10, 25, 9, 59 - index)),
      keep: 10
    }))

const confirmed = {
  channel: "push",
  userId: customer,
  title: "Commande acceptée",
  body: "NELO : Maquis Chez Tanti a accepté votre commande ORD-7K3M9QXA, prête dans environ 20 min.",
  data: { orderId: "0192f3a4-5b6c-7d8e-9f00-112233445566", reference: "ORD-7K3M9QXA", kind: "confirmed" }
}
const withFallback = { ...confirmed, fallbackPhone: "+2250701020304" }

layer(Layer.empty)("deliverNotification: SMS (in memory)", (it) => {
  it.effect("sends once: a redelivered event is acknowledged without a second SMS", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* notifier()
      const request = yield* decoded({ channel: "sms", to: "+2250701020304", body: "NELO : bonjour" })
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "sent")
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "already-sent")
      assert.deepStrictEqual(Context.get(context, SmsOutbox).sent().map(({ to, body }) => ({ to: String(to), body })), [{ to: "+2250701020304", body: "NELO : bonjour" }])
    })))

  it.effect("a provider failure records nothing, so the retry sends", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* notifier()
      Context.get(context, SmsOutbox).failNext(1)
      const request = yield* decoded({ channel: "sms", to: "+2250701020304", body: "NELO : bonjour" })
      const failure = yield* Effect.flip(deliverNotification(request).pipe(Effect.provide(context)))
      assert.strictEqual(failure._tag, "SmsDeliveryFailed")
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "sent")
    })))

  it.effect("a payload that is not a valid notification is refused as malformed before delivery, and nothing is sent", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* notifier()
      yield* registerDevices(context)
      for (const payload of [
        { channel: "sms", to: "0701020304", body: "x" },
        { channel: "fax", to: "+2250701020304", body: "x" },
        { channel: "sms", to: "+2250701020304", body: "" },
        null,
        { ...confirmed, title: "" },
        { ...confirmed, body: "x".repeat(641) },
        { ...confirmed, fallbackPhone: "0701020304" },
        { ...confirmed, data: { from: "nelo" } },
        { ...confirmed, data: { "google.c.a": "1" } },
        { ...confirmed, data: { orderId: 42 } },
        { ...confirmed, data: Object.fromEntries(Array.from({ length: 9 }, (_, index) => [`key${index}`, "v"])) },
        { channel: "push", title: "Commande prête", body: "NELO : prête.", data: {} }
      ]) {
        const failure = yield* Effect.flip(decoded(payload).pipe(Effect.flatMap(deliverNotification), Effect.provide(context)))
        assert.strictEqual(failure._tag, "SchemaError", JSON.stringify(payload))
      }
      assert.deepStrictEqual(Context.get(context, SmsOutbox).sent(), [])
      assert.deepStrictEqual(Context.get(context, PushOutbox).sent(), [])
    })))
})

layer(Layer.empty)("deliverNotification: push (in memory)", (it) => {
  it.effect("goes to each of the user's devices with its title, body and data, once: a redelivery sends nothing", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* notifier()
      yield* registerDevices(context)
      const request = yield* decoded(withFallback)
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "sent")
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "already-sent")
      const sent = Context.get(context, PushOutbox).sent()
      assert.deepStrictEqual(sent.map((message) => message.token).sort(), [phoneToken, tabletToken])
      for (const message of sent) {
        assert.deepStrictEqual({ title: message.title, body: message.body, data: message.data }, { title: confirmed.title, body: confirmed.body, data: confirmed.data })
      }
      assert.deepStrictEqual(Context.get(context, SmsOutbox).sent(), [], "reached by push: no SMS")
    })))

  it.effect("a dead token is forgotten, the other devices still receive it", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* notifier()
      yield* registerDevices(context)
      Context.get(context, PushOutbox).markDead(tabletToken)
      assert.strictEqual(yield* deliverNotification(yield* decoded(withFallback)).pipe(Effect.provide(context)), "sent")
      assert.deepStrictEqual(Context.get(context, PushOutbox).sent().map((message) => message.token), [phoneToken])
      assert.deepStrictEqual((yield* Context.get(context, DeviceRepository).list(customer)).map((device) => device.token), [phoneToken])
      assert.deepStrictEqual(Context.get(context, SmsOutbox).sent(), [])
    })))

  it.effect("no device: the body goes by SMS to the fallback phone, once", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* notifier()
      const request = yield* decoded(withFallback)
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "sent-by-sms")
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "already-sent")
      assert.deepStrictEqual(Context.get(context, SmsOutbox).sent().map(({ to, body }) => ({ to: String(to), body })), [{ to: "+2250701020304", body: confirmed.body }])
    })))

  it.effect("every device dead: all forgotten, and the SMS goes instead", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* notifier()
      yield* registerDevices(context)
      Context.get(context, PushOutbox).markDead(phoneToken)
      Context.get(context, PushOutbox).markDead(tabletToken)
      assert.strictEqual(yield* deliverNotification(yield* decoded(withFallback)).pipe(Effect.provide(context)), "sent-by-sms")
      assert.deepStrictEqual(yield* Context.get(context, DeviceRepository).list(customer), [])
      assert.lengthOf(Context.get(context, SmsOutbox).sent(), 1)
    })))

  it.effect("push down and no fallback: the job fails as retryable, records nothing, and the retry sends", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* notifier()
      yield* registerDevices(context)
      Context.get(context, PushOutbox).failNext(2)
      const request = yield* decoded(confirmed)
      const failure = yield* Effect.flip(deliverNotification(request).pipe(Effect.provide(context)))
      assert.strictEqual(failure._tag, "PushDeliveryFailed")
      assert.isTrue(failure._tag === "PushDeliveryFailed" && failure.retryable)
      assert.lengthOf(yield* Context.get(context, DeviceRepository).list(customer), 2, "an outage forgets no device")
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "sent")
      assert.lengthOf(Context.get(context, PushOutbox).sent(), 2)
    })))

  it.effect("push down with a fallback: the SMS goes at once rather than after the retries", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* notifier()
      yield* registerDevices(context)
      Context.get(context, PushOutbox).failNext(2)
      assert.strictEqual(yield* deliverNotification(yield* decoded(withFallback)).pipe(Effect.provide(context)), "sent-by-sms")
      assert.deepStrictEqual(Context.get(context, PushOutbox).sent(), [])
      assert.lengthOf(Context.get(context, SmsOutbox).sent(), 1)
    })))

  it.effect("one device reached and another down: sent, and never retried (the reached one would get it twice)", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* notifier()
      yield* registerDevices(context)
      Context.get(context, PushOutbox).failNext(1)
      const request = yield* decoded(confirmed)
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "sent")
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "already-sent")
      assert.lengthOf(Context.get(context, PushOutbox).sent(), 1)
    })))

  it.effect("the fallback SMS failing fails the job; the retry sends the SMS once", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* notifier()
      Context.get(context, SmsOutbox).failNext(1)
      const request = yield* decoded(withFallback)
      assert.strictEqual((yield* Effect.flip(deliverNotification(request).pipe(Effect.provide(context))))._tag, "SmsDeliveryFailed")
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "sent-by-sms")
      assert.strictEqual(yield* deliverNotification(request).pipe(Effect.provide(context)), "already-sent")
      assert.lengthOf(Context.get(context, SmsOutbox).sent(), 1)
    })))

  it.effect("nobody to reach and no fallback: acknowledged as unreachable, nothing sent, nothing to retry", () =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* notifier()
      assert.strictEqual(yield* deliverNotification(yield* decoded(confirmed)).pipe(Effect.provide(context)), "unreachable")
      yield* registerDevices(context, [phoneToken])
      Context.get(context, PushOutbox).markDead(phoneToken)
      assert.strictEqual(yield* deliverNotification(yield* decoded(confirmed)).pipe(Effect.provide(context)), "unreachable")
      assert.deepStrictEqual(yield* Context.get(context, DeviceRepository).list(customer), [])
      assert.deepStrictEqual(Context.get(context, SmsOutbox).sent(), [])
      assert.deepStrictEqual(Context.get(context, PushOutbox).sent(), [])
    })))
})
