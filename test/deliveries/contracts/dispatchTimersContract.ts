import { assert, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { DispatchTimers, type DispatchWakeUp } from "@nelo/domain/deliveries/DispatchTimers"

const byKey = (wakeUps: ReadonlyArray<DispatchWakeUp>) => [...wakeUps].sort((left, right) => left.key.localeCompare(right.key))

/** What every DispatchTimers adapter must do: keep what is scheduled, once per key, listed per delivery. */
export const dispatchTimersContract = (name: string, timers: Layer.Layer<DispatchTimers, unknown>) =>
  layer(timers, { excludeTestServices: true, timeout: "30 seconds" })(`DispatchTimers contract: ${name}`, (it) => {
    // Whole milliseconds in the future: what BullMQ keeps of a time.
    const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000)

    it.effect("a scheduled wake-up waits for its delivery; none for another delivery", () =>
      Effect.gen(function*() {
        const timers = yield* DispatchTimers
        const deliveryId = uuidV7(Date.now())
        const start = { deliveryId, key: `start-${deliveryId}`, at: inMinutes(60) }
        yield* timers.schedule(start)
        assert.deepStrictEqual(yield* timers.pendingFor(deliveryId), [start])
        assert.deepStrictEqual(yield* timers.pendingFor(uuidV7(Date.now())), [])
      }))

    it.effect("the same key scheduled twice, even at another time, is the first one; each other key is its own", () =>
      Effect.gen(function*() {
        const timers = yield* DispatchTimers
        const deliveryId = uuidV7(Date.now())
        const offers = { deliveryId, key: `offers-${deliveryId}-1`, at: inMinutes(60) }
        yield* timers.schedule(offers)
        yield* timers.schedule({ ...offers, at: inMinutes(61) })
        const retry = { deliveryId, key: `retry-${deliveryId}-${offers.at.getTime()}`, at: inMinutes(62) }
        yield* Effect.all([1, 2, 3].map(() => timers.schedule(retry)), { concurrency: "unbounded" })
        const later = { deliveryId, key: `offers-${deliveryId}-2`, at: inMinutes(63) }
        yield* timers.schedule(later)
        assert.deepStrictEqual(byKey(yield* timers.pendingFor(deliveryId)), [offers, later, retry])
      }))

    it.effect("each delivery lists its own wake-ups only", () =>
      Effect.gen(function*() {
        const timers = yield* DispatchTimers
        const [first, second] = [uuidV7(Date.now()), uuidV7(Date.now())] as const
        const wakeUps = [first, second].flatMap((deliveryId) => [
          { deliveryId, key: `start-${deliveryId}`, at: inMinutes(60) },
          { deliveryId, key: `offers-${deliveryId}-1`, at: inMinutes(90) }
        ])
        yield* Effect.forEach(wakeUps, timers.schedule)
        assert.deepStrictEqual(byKey(yield* timers.pendingFor(first)), byKey(wakeUps.filter((wakeUp) => wakeUp.deliveryId === first)))
        assert.deepStrictEqual(byKey(yield* timers.pendingFor(second)), byKey(wakeUps.filter((wakeUp) => wakeUp.deliveryId === second)))
      }))
  })
