import { Clock, Effect } from "effect"
import type { NewDomainEvent } from "../events/DomainEvent.ts"
import { notificationRequestedType } from "../notifications/NotificationRequested.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { WalletPolicy } from "./WalletPolicy.ts"

export interface AlertFact {
  readonly type: string
  readonly aggregateType: string
  readonly aggregateId: string
  readonly payload: unknown
}

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
      const events: Array<NewDomainEvent> = [{ id: yield* ids.uuid, ...fact, occurredAt }]
      for (const to of policy.alertPhones) {
        events.push({
          id: yield* ids.uuid,
          type: notificationRequestedType,
          aggregateType: fact.aggregateType,
          aggregateId: fact.aggregateId,
          payload: { channel: "sms", to, body: smsBody.slice(0, 640) },
          occurredAt
        })
      }
      return events
    })
})
