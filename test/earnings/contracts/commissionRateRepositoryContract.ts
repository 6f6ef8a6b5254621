import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import type { RateParty } from "@nelo/domain/earnings/CommissionRate"
import { CommissionRateRepository } from "@nelo/domain/earnings/CommissionRateRepository"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { basisPoints } from "@nelo/domain/shared/Xof"
import { nextId } from "../../wallet/contracts/ledgerContract.ts"

const day = (date: number) => new Date(Date.UTC(2026, 11, date))
const provider = (): RateParty => ({ kind: "provider", id: nextId() })
const driver = (): RateParty => ({ kind: "driver", id: nextId() })
const malformed = ["not-a-uuid", "", "'; DROP TABLE earnings.commission_rates; --"]

/** One suite, run against every CommissionRateRepository adapter; each test names parties of its own (the store may be shared). */
export const commissionRateRepositoryContract = (name: string, repositoryLayer: Layer.Layer<CommissionRateRepository | Transactional, unknown>) =>
  layer(repositoryLayer, { excludeTestServices: true })(`CommissionRateRepository contract: ${name}`, (it) => {
    it.effect("no override: none at any instant, an empty history", () =>
      Effect.gen(function*() {
        const rates = yield* CommissionRateRepository
        const party = provider()
        assert.isTrue(Option.isNone(yield* rates.rateAt(party, day(10))))
        assert.deepStrictEqual(yield* rates.history(party), [])
      }))

    it.effect("the override in force at an instant is the latest effective at or before it; before the first, none", () =>
      Effect.gen(function*() {
        const rates = yield* CommissionRateRepository
        const party = provider()
        const admin = nextId()
        // Set out of order: the effective date decides, not the order of setting.
        const later = yield* rates.setRate(party, basisPoints(1_200), day(20), admin, day(5))
        assert.deepStrictEqual(later, { party, basisPoints: 1_200, effectiveFrom: day(20), setBy: admin, createdAt: day(5) })
        yield* rates.setRate(party, basisPoints(1_000), day(10), admin, day(6))
        assert.isTrue(Option.isNone(yield* rates.rateAt(party, new Date(day(10).getTime() - 1))), "the instant before the first")
        assert.deepStrictEqual(yield* rates.rateAt(party, day(10)), Option.some(1_000), "from its very instant")
        assert.deepStrictEqual(yield* rates.rateAt(party, day(15)), Option.some(1_000))
        assert.deepStrictEqual(yield* rates.rateAt(party, day(20)), Option.some(1_200))
        assert.deepStrictEqual(yield* rates.rateAt(party, day(31)), Option.some(1_200))
        assert.deepStrictEqual((yield* rates.history(party)).map((rate) => [rate.basisPoints, rate.effectiveFrom.getTime()]), [[1_000, day(10).getTime()], [1_200, day(20).getTime()]])
      }))

    it.effect("two overrides from the same instant: the one set last is in force; 0 and 10,000 read back as set", () =>
      Effect.gen(function*() {
        const rates = yield* CommissionRateRepository
        const party = driver()
        yield* rates.setRate(party, basisPoints(10_000), day(3), "admin-a", day(1))
        yield* rates.setRate(party, basisPoints(0), day(3), "admin-b", day(2))
        assert.deepStrictEqual(yield* rates.rateAt(party, day(4)), Option.some(0))
        assert.deepStrictEqual((yield* rates.history(party)).map((rate) => [rate.basisPoints, rate.setBy]), [[10_000, "admin-a"], [0, "admin-b"]])
      }))

    it.effect("a provider's and a driver's rates are apart, even under the same id; other parties see none", () =>
      Effect.gen(function*() {
        const rates = yield* CommissionRateRepository
        const id = nextId()
        yield* rates.setRate({ kind: "provider", id }, basisPoints(1_800), day(1), "admin", day(1))
        yield* rates.setRate({ kind: "driver", id }, basisPoints(500), day(1), "admin", day(1))
        assert.deepStrictEqual(yield* rates.rateAt({ kind: "provider", id }, day(2)), Option.some(1_800))
        assert.deepStrictEqual(yield* rates.rateAt({ kind: "driver", id }, day(2)), Option.some(500))
        assert.deepStrictEqual(yield* rates.rateAt({ kind: "provider", id: id.toUpperCase() }, day(2)), Option.some(1_800), "an id in upper case names the same party")
        assert.isTrue(Option.isNone(yield* rates.rateAt(provider(), day(2))))
      }))

    it.effect("malformed ids name nobody: none, no history; setting one is refused and writes nothing", () =>
      Effect.gen(function*() {
        const rates = yield* CommissionRateRepository
        for (const id of malformed) {
          assert.isTrue(Option.isNone(yield* rates.rateAt({ kind: "provider", id }, day(2))))
          assert.deepStrictEqual(yield* rates.history({ kind: "driver", id }), [])
          assert.strictEqual((yield* Effect.flip(rates.setRate({ kind: "provider", id }, basisPoints(100), day(1), "admin", day(1))))._tag, "EarningsUnavailable")
        }
      }))

    it.effect("a failed Transactional run sets nothing", () =>
      Effect.gen(function*() {
        const rates = yield* CommissionRateRepository
        const transactional = yield* Transactional
        const party = provider()
        const failed = yield* Effect.flip(transactional.run(Effect.andThen(rates.setRate(party, basisPoints(900), day(1), "admin", day(1)), Effect.fail("refused" as const))))
        assert.strictEqual(failed, "refused")
        assert.isTrue(Option.isNone(yield* rates.rateAt(party, day(2))))
        assert.deepStrictEqual(yield* rates.history(party), [])
      }))
  })
