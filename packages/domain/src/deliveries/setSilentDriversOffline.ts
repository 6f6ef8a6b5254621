import { Clock, Effect, Option } from "effect"
import { OutboxStore } from "../events/OutboxStore.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { Transactional } from "../shared/Transactional.ts"
import type { UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import type { Driver } from "./Driver.ts"
import { DriverPolicy } from "./DriverPolicy.ts"
import { DriverRepository } from "./DriverRepository.ts"
import { LivePositions } from "./LivePositions.ts"

// Online drivers are read a page at a time: a town's fit in one or two.
const pageSize = 500

/** What a driver set offline for silence reads on their phone (one SMS). */
export const silentOfflineMessage = (silenceMinutes: number) =>
  `NELO : vous êtes passé hors ligne, aucune position reçue depuis ${silenceMinutes} minutes. Rouvrez l'application et repassez en ligne pour recevoir des courses.`

/**
 * Sets offline the online drivers whose phone has sent no point for `offlineAfterSilenceMs` (an app
 * killed, a phone out of battery or network): offers must not wait on them. Each is told by SMS
 * (an outbox event, written with the change). A driver who sends a point again meanwhile stays
 * online: the check is repeated on the fresh position just before the change. Returns how many
 * were set offline.
 */
export const makeSetSilentDriversOffline = Effect.gen(function*() {
  const drivers = yield* DriverRepository
  const positions = yield* LivePositions
  const users = yield* UserRepository
  const outbox = yield* OutboxStore
  const transactional = yield* Transactional
  const ids = yield* IdGenerator
  const policy = yield* DriverPolicy

  const isSilent = (driverId: string, nowMs: number) =>
    Effect.map(positions.positionOf(driverId), (position) => Option.isNone(position) || nowMs - position.value.recordedAt.getTime() > policy.offlineAfterSilenceMs)

  return Effect.fn("Drivers.setSilentOffline")(function*() {
    const nowMs = yield* Clock.currentTimeMillis
    let afterId: string | null = null
    let setOffline = 0
    while (true) {
      const page: ReadonlyArray<Driver> = yield* drivers.list({ onlineOnly: true, afterId, limit: pageSize })
      for (const driver of page) {
        if (!(yield* isSilent(driver.userId, nowMs))) continue
        const user = yield* users.findById(driver.userId as UserId)
        const done = yield* transactional.run(Effect.gen(function*() {
          // A point may have come since the page was read.
          if (!(yield* isSilent(driver.userId, yield* Clock.currentTimeMillis))) return false
          const changed = yield* drivers.setStatus(driver.userId, "offline", new Date(nowMs))
          if (Option.isNone(changed)) return false
          if (Option.isNone(user)) return true
          yield* outbox.append([{
            id: yield* ids.uuid,
            type: "notification.requested",
            aggregateType: "driver",
            aggregateId: driver.userId,
            payload: { channel: "sms", to: user.value.phone, body: silentOfflineMessage(Math.round(policy.offlineAfterSilenceMs / 60_000)) },
            occurredAt: new Date(nowMs).toISOString()
          }])
          return true
        }))
        if (done) setOffline++
      }
      if (page.length < pageSize) return setOffline
      afterId = page.at(-1)!.userId
    }
  })
})
