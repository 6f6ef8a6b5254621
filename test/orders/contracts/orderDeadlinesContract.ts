import { assert, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { OrderDeadlines } from "@nelo/domain/orders/OrderDeadlines"

/** What every OrderDeadlines adapter must do: keep what is scheduled, once per order and kind. */
export const orderDeadlinesContract = (name: string, deadlines: Layer.Layer<OrderDeadlines, unknown>) =>
  layer(deadlines, { excludeTestServices: true, timeout: "30 seconds" })(`OrderDeadlines contract: ${name}`, (it) => {
    const inAnHour = () => new Date(Date.now() + 3_600_000)

    it.effect("a scheduled deadline waits for its order; none for another order", () =>
      Effect.gen(function*() {
        const store = yield* OrderDeadlines
        const orderId = uuidV7(Date.now())
        const at = inAnHour()
        yield* store.schedule({ orderId, kind: "confirmation", at })
        assert.deepStrictEqual(yield* store.pendingFor(orderId), [{ orderId, kind: "confirmation", at }])
        assert.deepStrictEqual(yield* store.pendingFor(uuidV7(Date.now())), [])
      }))

    it.effect("the same order and kind scheduled twice, even at another time, is the first one; the other kind is its own", () =>
      Effect.gen(function*() {
        const store = yield* OrderDeadlines
        const orderId = uuidV7(Date.now())
        const first = inAnHour()
        yield* store.schedule({ orderId, kind: "payment", at: first })
        yield* store.schedule({ orderId, kind: "payment", at: new Date(first.getTime() + 60_000) })
        yield* Effect.all([1, 2, 3].map(() => store.schedule({ orderId, kind: "confirmation", at: first })), { concurrency: "unbounded" })
        const pending = [...(yield* store.pendingFor(orderId))].sort((left, right) => left.kind.localeCompare(right.kind))
        assert.deepStrictEqual(pending, [{ orderId, kind: "confirmation", at: first }, { orderId, kind: "payment", at: first }])
      }))
  })
