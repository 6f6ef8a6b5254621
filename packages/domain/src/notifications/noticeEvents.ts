import { Effect } from "effect"
import type { NewEventOf } from "../events/DomainEvent.ts"
import type { Phone } from "../shared/Phone.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import type { UserId } from "../users/User.ts"

/** A message for one person, and how it travels. */
export interface Notice {
  readonly person: { readonly id: UserId; readonly phone: Phone }
  /**
   * sms-and-push: both (the person has minutes to act). push-else-sms: a push, the SMS only when no
   * phone of theirs was reached. push: a push or nothing (an offer that lasts 30 s is worthless by SMS).
   * sms: an SMS only (a person without the app, an alert phone).
   */
  readonly via: "sms-and-push" | "push-else-sms" | "push" | "sms"
  readonly title: string
  readonly body: string
}

/**
 * The `notification.requested` events of notices, for the caller to append to the outbox with the
 * change that causes them (so each is sent once, by the worker, whatever the retries). `data` rides
 * with every push, so the app opens what it is about.
 */
export const makeNoticeEvents = Effect.gen(function*() {
  const ids = yield* IdGenerator
  return (about: { readonly aggregateType: string; readonly aggregateId: string; readonly at: Date; readonly data: Readonly<Record<string, string>> }, notices: ReadonlyArray<Notice>) =>
    Effect.gen(function*() {
      const events: Array<NewEventOf<"notification.requested">> = []
      const add = (payload: NewEventOf<"notification.requested">["payload"]) =>
        Effect.map(ids.uuid, (id) => {
          events.push({ id, type: "notification.requested", aggregateType: about.aggregateType, aggregateId: about.aggregateId, payload, occurredAt: about.at.toISOString() })
        })
      for (const notice of notices) {
        const body = notice.body.slice(0, 640)
        const push = { channel: "push", userId: notice.person.id, title: notice.title.slice(0, 100), body, data: about.data } as const
        if (notice.via === "sms-and-push" || notice.via === "sms") yield* add({ channel: "sms", to: notice.person.phone, body })
        if (notice.via === "sms-and-push" || notice.via === "push") yield* add(push)
        if (notice.via === "push-else-sms") yield* add({ ...push, fallbackPhone: notice.person.phone })
      }
      return events
    })
})
