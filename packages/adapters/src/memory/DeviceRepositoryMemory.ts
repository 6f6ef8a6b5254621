import { Effect, Layer } from "effect"
import type { Device } from "@nelo/domain/users/Device"
import { DeviceRepository } from "@nelo/domain/users/DeviceRepository"

/** Devices in memory for unit tests: one entry per token, as the unique index keeps it in Postgres. */
export const DeviceRepositoryMemory = Layer.sync(DeviceRepository, () => {
  const byToken = new Map<string, Device>()
  const newestFirst = (left: Device, right: Device) => right.lastSeenAt.getTime() - left.lastSeenAt.getTime() || (left.id < right.id ? 1 : -1)
  const listOf = (userId: string) => [...byToken.values()].filter((device) => device.userId === userId).sort(newestFirst)
  return DeviceRepository.of({
    register: (input) =>
      Effect.sync(() => {
        const existing = byToken.get(input.token)
        const device: Device = existing !== undefined && existing.userId === input.userId
          ? { ...existing, platform: input.platform, lastSeenAt: input.now }
          : { id: input.id, userId: input.userId, token: input.token, platform: input.platform, createdAt: input.now, lastSeenAt: input.now }
        byToken.set(input.token, device)
        for (const stale of listOf(input.userId).slice(input.keep)) byToken.delete(stale.token)
        return device
      }),
    list: (userId) => Effect.sync(() => listOf(userId)),
    remove: (userId, id) =>
      Effect.sync(() => {
        const found = [...byToken.values()].find((device) => device.userId === userId && device.id === id.toLowerCase())
        return found !== undefined && byToken.delete(found.token)
      }),
    forget: (id) =>
      Effect.sync(() => {
        const found = [...byToken.values()].find((device) => device.id === id.toLowerCase())
        return found !== undefined && byToken.delete(found.token)
      })
  })
})
