import { Context, Effect, Layer } from "effect"
import { type SmsMessage, SmsDeliveryFailed, SmsSender } from "@nelo/domain/notifications/SmsSender"

/** The messages the in-memory SMS sender accepted, and a switch to make it fail like a provider outage. */
export class SmsOutbox extends Context.Service<SmsOutbox, {
  readonly sent: () => ReadonlyArray<SmsMessage>
  readonly failNext: (count: number) => void
}>()("nelo/adapters/SmsOutbox") {}

export const SmsSenderMemory = Layer.effectContext(Effect.sync(() => {
  const sent: Array<SmsMessage> = []
  let failures = 0
  const sender = SmsSender.of({
    send: (message) =>
      Effect.suspend(() => {
        if (failures > 0) {
          failures -= 1
          return Effect.fail(new SmsDeliveryFailed({ provider: "memory", retryable: true, detail: "simulated outage" }))
        }
        sent.push(message)
        return Effect.void
      })
  })
  const outbox = SmsOutbox.of({
    sent: () => [...sent],
    failNext: (count) => {
      failures = count
    }
  })
  return Context.make(SmsSender, sender).pipe(Context.add(SmsOutbox, outbox))
}))
