import { Effect, Result } from "effect"
import type { EventOf } from "../events/DomainEvent.ts"
import type { Device } from "../users/Device.ts"
import { DeviceRepository } from "../users/DeviceRepository.ts"
import { DeliveryLog } from "./DeliveryLog.ts"
import type { PushRequested } from "./NotificationRequested.ts"
import { type PushDeliveryFailed, PushSender } from "./PushSender.ts"
import { SmsSender } from "./SmsSender.ts"

/**
 * What became of one event: sent (by its channel), sent by SMS (a push that reached no phone, with
 * a fallback number), already sent (a redelivery), or unreachable (a push to nobody, no fallback,
 * nothing worth retrying: acknowledged, since retrying cannot help).
 */
export type DeliveryOutcome = "sent" | "sent-by-sms" | "already-sent" | "unreachable"

/**
 * Consumes one `notification.requested` event (decoded by the consumer): sends it once. A redelivered
 * event that was already sent is acknowledged without sending again. A failure that may pass
 * (provider down) fails the call, so the queue tries the event again later.
 */
export const deliverNotification = Effect.fn("deliverNotification")(function*(event: EventOf<"notification.requested">) {
  const log = yield* DeliveryLog
  if (yield* log.wasDelivered(event.id)) return "already-sent" as DeliveryOutcome
  const request = event.payload
  if (request.channel === "push") return yield* deliverPush(event.id, request)
  yield* (yield* SmsSender).send({ to: request.to, body: request.body })
  yield* log.recordDelivered({ eventId: event.id, channel: "sms", recipient: request.to, body: request.body })
  return "sent" as DeliveryOutcome
})

/**
 * A push goes to every phone of the user at once. Reaching one is enough to count it sent: a retry
 * for the phone that failed would send it a second time to those it reached, since the log knows
 * events, not devices. Dead tokens are forgotten on the way. Reaching none, the fallback number
 * gets the body by SMS now rather than after the queue's backoff: these messages are about an
 * order in progress, late is as bad as never.
 */
const deliverPush = Effect.fnUntraced(function*(eventId: string, request: PushRequested) {
  const log = yield* DeliveryLog
  const repository = yield* DeviceRepository
  const push = yield* PushSender
  const devices = yield* repository.list(request.userId)
  const results = yield* Effect.forEach(devices, (device) =>
    push.send({ token: device.token, title: request.title, body: request.body, data: request.data }).pipe(
      Effect.result,
      Effect.map((result) => ({ device, result }))
    ), { concurrency: "unbounded" })

  const failures: Array<PushDeliveryFailed> = []
  for (const { device, result } of results) {
    if (Result.isSuccess(result)) continue
    failures.push(result.failure)
    if (result.failure.tokenDead) yield* forgetDead(repository, device, result.failure)
  }

  if (failures.length < devices.length) {
    yield* log.recordDelivered({ eventId, channel: "push", recipient: request.userId, body: request.body })
    return "sent" as DeliveryOutcome
  }
  if (request.fallbackPhone !== undefined) {
    yield* (yield* SmsSender).send({ to: request.fallbackPhone, body: request.body })
    yield* log.recordDelivered({ eventId, channel: "sms", recipient: request.fallbackPhone, body: request.body })
    return "sent-by-sms" as DeliveryOutcome
  }
  const passing = failures.find((failure) => failure.retryable)
  if (passing !== undefined) return yield* passing
  yield* Effect.logWarning("push notification reached no device").pipe(
    Effect.annotateLogs({ eventId, userId: request.userId, devices: devices.length })
  )
  return "unreachable" as DeliveryOutcome
})

// Forgetting is housekeeping, not the delivery: should the store fail here, the token is found dead
// again by the next notification to this user, so the failure is logged, not raised.
const forgetDead = (repository: DeviceRepository["Service"], device: Device, failure: PushDeliveryFailed) =>
  repository.forget(device.id).pipe(
    Effect.tap(() => Effect.logInfo("dead push token forgotten").pipe(Effect.annotateLogs({ deviceId: device.id, userId: device.userId, detail: failure.detail }))),
    Effect.ignore({ log: "Warn", message: "a dead push token could not be forgotten" })
  )
