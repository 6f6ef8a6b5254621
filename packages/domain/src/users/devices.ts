import { Clock, Effect, Schema } from "effect"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { type DevicePlatform, maximumDevicesPerUser } from "./Device.ts"
import { DeviceRepository } from "./DeviceRepository.ts"
import type { UserId } from "./User.ts"

export class DeviceNotFound extends Schema.TaggedError<DeviceNotFound>()("DeviceNotFound", {}) {}

/**
 * The phones of a person that receive push notifications: the app registers its FCM token at each
 * start (the same token again refreshes it), lists them, and removes one (signing out of a phone).
 * Past the maximum, the least recently seen is forgotten.
 */
export const makeDevices = Effect.gen(function*() {
  const devices = yield* DeviceRepository
  const ids = yield* IdGenerator
  return {
    register: Effect.fn("registerDevice")(function*(userId: UserId, input: { readonly token: string; readonly platform: DevicePlatform }) {
      const now = new Date(yield* Clock.currentTimeMillis)
      return yield* devices.register({ id: yield* ids.uuid, userId, token: input.token, platform: input.platform, now, keep: maximumDevicesPerUser })
    }),
    list: Effect.fn("listDevices")(function*(userId: UserId) {
      return yield* devices.list(userId)
    }),
    remove: Effect.fn("removeDevice")(function*(userId: UserId, id: string) {
      if (!(yield* devices.remove(userId, id))) return yield* new DeviceNotFound()
    })
  }
})
