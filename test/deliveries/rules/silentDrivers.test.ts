import { assert, layer } from "@effect/vitest"
import { Clock, Effect } from "effect"
import { TestClock } from "effect/testing"
import { Drivers } from "@nelo/domain/deliveries/Drivers"
import { silentOfflineMessage } from "@nelo/domain/deliveries/setSilentDriversOffline"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import { aDriver, deliveriesContext } from "../deliveriesFixtures.ts"

// Drivers whose phone went silent: online, a point every few minutes keeps them online; ten minutes
// without one, the worker's sweep sets them offline and tells them by SMS, once.

const pointNow = Effect.map(Clock.currentTimeMillis, (nowMs) => [{ lat: 5.8901, lng: -4.8331, accuracyM: 10, headingDeg: null, speedMps: null, recordedAt: new Date(nowMs) }])

const smsTo = (phone: string) =>
  OutboxStore.use((outbox) =>
    Effect.map(outbox.withClaim(10_000, (batch) => Effect.succeed(batch.events.filter((event) => event.type === "notification.requested" && (event.payload as { readonly to?: string }).to === phone))), (events) => (events ?? []).map((event) => (event.payload as { readonly body: string }).body)))

layer(deliveriesContext(), { timeout: "60 seconds" })("silent drivers", (it) => {
  it.effect("ten minutes without a point: set offline and told by SMS, once; one who keeps sending stays online", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-12-07T08:00:00Z"))
      const drivers = yield* Drivers
      const [silent, talkative] = [yield* aDriver(), yield* aDriver()]
      for (const driver of [silent, talkative]) {
        yield* drivers.updateLocation(driver, yield* pointNow)
        assert.strictEqual((yield* drivers.setStatus(driver, "online")).driver.status, "online")
      }
      for (let minute = 1; minute <= 10; minute++) {
        yield* TestClock.adjust("1 minute")
        yield* drivers.updateLocation(talkative, yield* pointNow)
        assert.strictEqual(yield* drivers.setSilentOffline(), 0, `still within the ten minutes at minute ${minute}`)
      }
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* drivers.setSilentOffline(), 1)
      assert.strictEqual((yield* drivers.me(silent)).driver.status, "offline")
      assert.strictEqual((yield* drivers.me(talkative)).driver.status, "online")
      assert.deepStrictEqual(yield* smsTo(silent.phone), [silentOfflineMessage(10)])
      assert.match(silentOfflineMessage(10), /^NELO : vous êtes passé hors ligne, aucune position reçue depuis 10 minutes\./u)
      // The next sweeps leave the offline driver alone: one SMS.
      yield* TestClock.adjust("5 minutes")
      yield* drivers.updateLocation(talkative, yield* pointNow)
      assert.strictEqual(yield* drivers.setSilentOffline(), 0)
      assert.deepStrictEqual(yield* smsTo(silent.phone), [silentOfflineMessage(10)])
      assert.deepStrictEqual(yield* smsTo(talkative.phone), [])
    }))

  it.effect("online needs the KYC approved and a fresh point; offline always", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-12-07T09:00:00Z"))
      const drivers = yield* Drivers
      const newcomer = yield* aDriver({ approved: false })
      yield* drivers.updateLocation(newcomer, yield* pointNow)
      const refused = yield* Effect.flip(drivers.setStatus(newcomer, "online"))
      assert.deepInclude({ ...refused }, { _tag: "CannotGoOnline", reason: "kyc_not_approved", kycStatus: "none" })
      const approved = yield* aDriver()
      assert.deepInclude({ ...(yield* Effect.flip(drivers.setStatus(approved, "online"))) }, { reason: "location_stale" })
      yield* drivers.updateLocation(approved, yield* pointNow)
      yield* TestClock.adjust("121 seconds")
      assert.deepInclude({ ...(yield* Effect.flip(drivers.setStatus(approved, "online"))) }, { reason: "location_stale" })
      yield* drivers.updateLocation(approved, yield* pointNow)
      assert.strictEqual((yield* drivers.setStatus(approved, "online")).driver.status, "online")
      assert.strictEqual((yield* drivers.setStatus(approved, "offline")).driver.status, "offline")
      assert.strictEqual((yield* Effect.flip(drivers.setStatus({ userId: crypto.randomUUID() as never, roles: [] }, "offline")))._tag, "DriverNotRegistered")
    }))
})
