import { Clock, Effect } from "effect"
import type { NewDomainEvent, NewEventOf } from "../events/DomainEvent.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { WalletPolicy } from "./WalletPolicy.ts"

type WithoutIdentity<Event> = Event extends unknown ? Omit<Event, "id" | "occurredAt"> : never

/** The facts admins are alerted of, before the outbox gives them an id and a time. */
export type AlertFact = WithoutIdentity<NewEventOf<"wallet.frozen" | "wallet.unfrozen" | "payment.mismatch">>

/**
 * The events that tell people about a wallet matter: the fact itself (for the admin's feed and
 * history), and one SMS per alert phone, sent by the worker. Written with the change (outbox).
 */
export const makeAlertEvents = Effect.gen(function*() {
  const ids = yield* IdGenerator
  const policy = yield* WalletPolicy
  return (fact: AlertFact, smsBody: string) =>
    Effect.gen(function*() {
      const occurredAt = new Date(yield* Clock.currentTimeMillis).toISOString()
      const events: Array<NewDomainEvent> = [{ ...fact, id: yield* ids.uuid, occurredAt } as NewDomainEvent]
      for (const to of policy.alertPhones) {
        events.push({
          id: yield* ids.uuid,
          type: "notification.requested",
          aggregateType: fact.aggregateType,
          aggregateId: fact.aggregateId,
          payload: { channel: "sms", to, body: smsBody.slice(0, 640) },
          occurredAt
        })
      }
      return events
    })
})
