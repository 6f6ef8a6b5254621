import { assert, layer } from "@effect/vitest"
import { Effect, Layer, type Scope } from "effect"
import type { PushMessage, PushSender } from "@nelo/domain/notifications/PushSender"

/** A PushSender and the far side of it: what reached the devices, and how to make it fail. */
export interface PushHarness {
  readonly sender: PushSender["Service"]
  /** The messages that reached a device, as it received them. */
  readonly delivered: () => ReadonlyArray<PushMessage>
  /** The token's app was uninstalled. */
  readonly markDead: (token: string) => void
  /** The push service is down for the next `count` sends. */
  readonly outage: (count: number) => void
}

const message: PushMessage = {
  token: "fcm-device-0123456789abcdefghijklmnop:APA91b",
  title: "Commande acceptée",
  body: "NELO : Maquis Chez Tanti a accepté votre commande ORD-7K3M9QXA, prête dans environ 20 min.",
  data: { orderId: "0192f3a4-5b6c-7d8e-9f00-112233445566", reference: "ORD-7K3M9QXA", kind: "confirmed" }
}

/** One suite, run against every PushSender adapter: they must behave the same for the domain. */
export const pushSenderContract = (name: string, harness: Effect.Effect<PushHarness, unknown, Scope.Scope>) =>
  layer(Layer.empty, { excludeTestServices: true })(`PushSender contract: ${name}`, (it) => {
    it.effect("delivers the title, the body and the data to the token's device", () =>
      Effect.scoped(Effect.gen(function*() {
        const push = yield* harness
        yield* push.sender.send(message)
        assert.deepStrictEqual(push.delivered(), [message])
      })))

    it.effect("a dead token fails for good, says the device must be forgotten, and nothing arrives", () =>
      Effect.scoped(Effect.gen(function*() {
        const push = yield* harness
        push.markDead(message.token)
        const failure = yield* Effect.flip(push.sender.send(message))
        assert.strictEqual(failure._tag, "PushDeliveryFailed")
        assert.isTrue(failure.tokenDead)
        assert.isFalse(failure.retryable)
        assert.deepStrictEqual(push.delivered(), [])
        // Another device is not concerned.
        yield* push.sender.send({ ...message, token: `${message.token}-other` })
        assert.lengthOf(push.delivered(), 1)
      })))

    it.effect("an outage is worth retrying and condemns no token: once it passes, the message goes", () =>
      Effect.scoped(Effect.gen(function*() {
        const push = yield* harness
        push.outage(1)
        const failure = yield* Effect.flip(push.sender.send(message))
        assert.isTrue(failure.retryable)
        assert.isFalse(failure.tokenDead)
        yield* push.sender.send(message)
        assert.deepStrictEqual(push.delivered(), [message])
      })))
  })
