import { Context, Effect, Layer } from "effect"
import { type PushMessage, PushDeliveryFailed, PushSender } from "@nelo/domain/notifications/PushSender"

/**
 * The pushes the in-memory sender accepted, and switches to make it fail like FCM: a token marked
 * dead is refused as FCM refuses an uninstalled app's (for good, the device to be forgotten); an
 * outage fails the next sends in a way worth retrying.
 */
export class PushOutbox extends Context.Service<PushOutbox, {
  readonly sent: () => ReadonlyArray<PushMessage>
  readonly markDead: (token: string) => void
  readonly failNext: (count: number) => void
}>()("nelo/adapters/PushOutbox") {}

export const PushSenderMemory = Layer.effectContext(Effect.sync(() => {
  const sent: Array<PushMessage> = []
  const dead = new Set<string>()
  let failures = 0
  const sender = PushSender.of({
    send: (message) =>
      Effect.suspend(() => {
        if (dead.has(message.token)) {
          return Effect.fail(new PushDeliveryFailed({ provider: "memory", retryable: false, tokenDead: true, detail: "token unregistered" }))
        }
        if (failures > 0) {
          failures -= 1
          return Effect.fail(new PushDeliveryFailed({ provider: "memory", retryable: true, tokenDead: false, detail: "simulated outage" }))
        }
        sent.push(message)
        return Effect.void
      })
  })
  const outbox = PushOutbox.of({
    sent: () => [...sent],
    markDead: (token) => {
      dead.add(token)
    },
    failNext: (count) => {
      failures = count
    }
  })
  return Context.make(PushSender, sender).pipe(Context.add(PushOutbox, outbox))
}))
