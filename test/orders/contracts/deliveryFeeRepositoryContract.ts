import { assert, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { DeliveryFeeRepository } from "@nelo/domain/orders/DeliveryFeeRepository"
import { defaultDeliveryFeeSchedule, type DeliveryFeeSchedule } from "@nelo/domain/orders/DeliveryFeeSchedule"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { xof } from "@nelo/domain/shared/Xof"

const rainySeason: DeliveryFeeSchedule = {
  bands: [{ upToM: 1_500, feeXof: xof(600) }, { upToM: 4_000, feeXof: xof(900) }, { upToM: 8_000, feeXof: xof(1_300) }],
  beyondPerKmXof: xof(250)
}
const flat: DeliveryFeeSchedule = { bands: [{ upToM: 100_000, feeXof: xof(0) }], beyondPerKmXof: xof(0) }

/** One suite, run against every DeliveryFeeRepository adapter, on a store where no schedule was ever set. */
export const deliveryFeeRepositoryContract = (name: string, repositoryLayer: Layer.Layer<DeliveryFeeRepository | Transactional, unknown>) =>
  layer(repositoryLayer, { excludeTestServices: true })(`DeliveryFeeRepository contract: ${name}`, (it) => {
    it.effect("the default schedule until one is set; then the latest set; a failed Transactional run sets nothing", () =>
      Effect.gen(function*() {
        const fees = yield* DeliveryFeeRepository
        const transactional = yield* Transactional
        assert.deepStrictEqual(yield* fees.current, defaultDeliveryFeeSchedule)
        yield* fees.replace(rainySeason, "admin-1", new Date(Date.UTC(2026, 5, 1)))
        assert.deepStrictEqual(yield* fees.current, rainySeason)
        yield* fees.replace(flat, "admin-2", new Date(Date.UTC(2026, 5, 2)))
        assert.deepStrictEqual(yield* fees.current, flat)

        assert.strictEqual(yield* Effect.flip(transactional.run(Effect.andThen(fees.replace(rainySeason, "admin-1", new Date()), Effect.fail("refused" as const)))), "refused")
        assert.deepStrictEqual(yield* fees.current, flat)
      }))
  })
