import { randomInt } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import type { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import type { OrderRepository } from "@nelo/domain/orders/OrderRepository"
import type { Promotion, PromotionRefusalReason, PromotionUsage } from "@nelo/domain/orders/Promotion"
import { PromotionRepository, type PromotionUse } from "@nelo/domain/orders/PromotionRepository"
import { usageRefusal } from "@nelo/domain/orders/promotionRules"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { basisPoints, xof } from "@nelo/domain/shared/Xof"
import type { UserRepository } from "@nelo/domain/users/UserRepository"
import { newProvider } from "../../catalogue/contracts/menuRepositoryContract.ts"
import { nextId } from "../../wallet/contracts/ledgerContract.ts"
import { makeOrder, newParties, place } from "./orderRepositoryContract.ts"

const randomCode = () => `PROMO${randomInt(1_000_000_000)}`

const makePromotion = (overrides: Partial<Promotion> = {}): Promotion => {
  const at = new Date(Math.floor(Date.now() / 1_000) * 1_000)
  return {
    id: nextId(),
    code: randomCode(),
    label: "−20 % sur votre commande",
    benefit: { _tag: "PercentOff", basisPoints: basisPoints(2_000) },
    minimumSubtotalXof: xof(2_000),
    maximumDiscountXof: xof(1_500),
    startsAt: new Date(Date.UTC(2026, 0, 1)),
    endsAt: new Date(Date.UTC(2027, 0, 1)),
    maximumUses: null,
    budgetXof: xof(1_000_000),
    perCustomerLimit: null,
    firstOrderOnly: false,
    providerId: null,
    fundedBy: "platform",
    active: true,
    usesCount: 0,
    discountTotalXof: xof(0),
    createdAt: at,
    updatedAt: at,
    ...overrides
  }
}

const create = (overrides: Partial<Promotion> = {}) => PromotionRepository.use((promotions) => promotions.create(makePromotion(overrides)))

/** Orders of one customer, placed (the uses' rows name them), ready to use a promotion. */
const usesOf = (count: number, promotion: Promotion, discountXof = 500) =>
  Effect.gen(function*() {
    const { customerId, providerId } = yield* newParties
    return yield* Effect.forEach(Array.from({ length: count }), () =>
      Effect.gen(function*() {
        const order = makeOrder(customerId, providerId)
        yield* place(order)
        return { promotionId: promotion.id, orderId: order.id, customerId, discountXof: xof(discountXof), at: order.createdAt } satisfies PromotionUse
      }))
  })

/** The usage `decide` was shown, and its answer. */
const answering = (answer: PromotionRefusalReason | undefined) => {
  const seen: Array<{ readonly promotion: Promotion; readonly usage: PromotionUsage }> = []
  return { seen, decide: (promotion: Promotion, usage: PromotionUsage) => (seen.push({ promotion, usage }), answer) }
}

const counters = (id: string) =>
  PromotionRepository.use((promotions) => Effect.map(promotions.find(id), (found) => Option.map(found, (promotion) => [promotion.usesCount, promotion.discountTotalXof])))

const malformed = ["not-a-uuid", "", "'; DROP TABLE orders.promotions; --"]

/** One suite, run against every PromotionRepository adapter (with the orders, users and providers its uses name). */
export const promotionRepositoryContract = (
  name: string,
  repositoryLayer: Layer.Layer<PromotionRepository | OrderRepository | UserRepository | ProviderRepository | Transactional, unknown>
) =>
  layer(repositoryLayer, { excludeTestServices: true })(`PromotionRepository contract: ${name}`, (it) => {
    it.effect("create stores a promotion, found by id and by code; a code is one promotion's: the second is PromotionCodeTaken and not written", () =>
      Effect.gen(function*() {
        const promotions = yield* PromotionRepository
        const promotion = makePromotion({ maximumUses: 100, perCustomerLimit: 1, firstOrderOnly: true, fundedBy: "provider", providerId: yield* newProvider() })
        assert.deepStrictEqual(yield* promotions.create(promotion), promotion)
        assert.deepStrictEqual(yield* promotions.find(promotion.id), Option.some(promotion))
        assert.deepStrictEqual(yield* promotions.find(promotion.id.toUpperCase()), Option.some(promotion))
        assert.deepStrictEqual(yield* promotions.findByCode(promotion.code!), Option.some(promotion))

        const sameCode = makePromotion({ code: promotion.code })
        const taken = yield* Effect.flip(promotions.create(sameCode))
        assert.deepStrictEqual([taken._tag, "code" in taken ? taken.code : null], ["PromotionCodeTaken", promotion.code])
        assert.isTrue(Option.isNone(yield* promotions.find(sameCode.id)))

        // Automatic promotions have no code: as many as wanted.
        const automatic = [makePromotion({ code: null, benefit: { _tag: "DeliveryOff", basisPoints: basisPoints(10_000) }, endsAt: null, maximumDiscountXof: null, budgetXof: null }), makePromotion({ code: null, benefit: { _tag: "AmountOff", amountXof: xof(300) } })]
        for (const promotion of automatic) assert.deepStrictEqual(yield* promotions.create(promotion), promotion)
        for (const promotion of automatic) assert.deepStrictEqual(yield* promotions.find(promotion.id), Option.some(promotion))

        assert.isTrue(Option.isNone(yield* promotions.find(nextId())))
        assert.isTrue(Option.isNone(yield* promotions.findByCode(randomCode())))
        for (const id of malformed) assert.isTrue(Option.isNone(yield* promotions.find(id)))
      }))

    it.effect("update changes the terms given and the time, never the counters; a code taken is PromotionCodeTaken and changes nothing", () =>
      Effect.gen(function*() {
        const promotions = yield* PromotionRepository
        const promotion = yield* create()
        const other = yield* create()
        const now = new Date(promotion.createdAt.getTime() + 60_000)
        const patch = {
          label: "Livraison offerte",
          benefit: { _tag: "DeliveryOff" as const, basisPoints: basisPoints(10_000) },
          maximumDiscountXof: null,
          maximumUses: 50,
          endsAt: null,
          active: false
        }
        // Fields beyond the terms (the counters here) are not the update's to write.
        const sneaked = { ...patch, usesCount: 99, discountTotalXof: xof(99), now }
        const updated = { ...promotion, ...patch, updatedAt: now }
        assert.deepStrictEqual(yield* promotions.update(promotion.id, sneaked), Option.some(updated))
        assert.deepStrictEqual(yield* promotions.find(promotion.id), Option.some(updated))

        const taken = yield* Effect.flip(promotions.update(promotion.id, { code: other.code, now: new Date(now.getTime() + 1_000) }))
        assert.deepStrictEqual([taken._tag, "code" in taken ? taken.code : null], ["PromotionCodeTaken", other.code])
        assert.deepStrictEqual(yield* promotions.find(promotion.id), Option.some(updated))
        // Its own code again is no conflict; no code at all neither.
        assert.deepStrictEqual(yield* promotions.update(promotion.id, { code: promotion.code, now }), Option.some(updated))
        assert.deepStrictEqual(yield* promotions.update(promotion.id, { code: null, now }), Option.some({ ...updated, code: null }))
        assert.isTrue(Option.isNone(yield* promotions.findByCode(promotion.code!)))

        assert.isTrue(Option.isNone(yield* promotions.update(nextId(), { active: false, now })))
        for (const id of malformed) assert.isTrue(Option.isNone(yield* promotions.update(id, { active: false, now })))
      }))

    it.effect("list: newest first, before a cursor, active only or all", () =>
      Effect.gen(function*() {
        const promotions = yield* PromotionRepository
        const [a, b, c, d] = [yield* create(), yield* create({ active: false }), yield* create(), yield* create({ code: null })]
        const ids = (found: ReadonlyArray<Promotion>) => found.map((promotion) => promotion.id)
        // Tests of a suite run one after another: nothing is newer than these.
        assert.deepStrictEqual(yield* promotions.list({ activeOnly: false, beforeId: null, limit: 4 }), [d, c, b, a])
        assert.deepStrictEqual(ids(yield* promotions.list({ activeOnly: false, beforeId: d.id, limit: 2 })), [c.id, b.id])
        assert.deepStrictEqual(ids(yield* promotions.list({ activeOnly: true, beforeId: null, limit: 3 })), [d.id, c.id, a.id])
        assert.deepStrictEqual(ids(yield* promotions.list({ activeOnly: true, beforeId: c.id, limit: 1 })), [a.id])
        assert.deepStrictEqual(yield* promotions.list({ activeOnly: false, beforeId: null, limit: 0 }), [])
        for (const id of malformed) assert.deepStrictEqual(yield* promotions.list({ activeOnly: false, beforeId: id, limit: 10 }), [])
      }))

    it.effect("automatic: the active promotions without a code, for every provider or this one", () =>
      Effect.gen(function*() {
        const promotions = yield* PromotionRepository
        const [here, there] = [yield* newProvider(), yield* newProvider()]
        const everywhere = yield* create({ code: null })
        const hereOnly = yield* create({ code: null, providerId: here })
        const thereOnly = yield* create({ code: null, providerId: there })
        const coded = yield* create({ providerId: here })
        const inactive = yield* create({ code: null, active: false })
        const mine = new Set([everywhere, hereOnly, thereOnly, coded, inactive].map((promotion) => promotion.id))
        const automatic = (providerId: string) => Effect.map(promotions.automatic(providerId), (found) => found.filter((promotion) => mine.has(promotion.id)))
        assert.deepStrictEqual(yield* automatic(here), [everywhere, hereOnly])
        assert.deepStrictEqual(yield* automatic(there), [everywhere, thereOnly])
        assert.deepStrictEqual(yield* automatic(nextId()), [everywhere])
        for (const id of malformed) assert.deepStrictEqual(yield* automatic(id), [everywhere])
        // Deactivated, it applies to no new order.
        yield* promotions.update(hereOnly.id, { active: false, now: new Date() })
        assert.deepStrictEqual(yield* automatic(here), [everywhere])
      }))

    it.effect("recordUse shows decide the promotion and its usage; a refusal writes nothing; a use counts for everyone and for its customer", () =>
      Effect.gen(function*() {
        const promotions = yield* PromotionRepository
        const promotion = yield* create()
        const [first, second] = yield* usesOf(2, promotion, 400)
        const [someoneElse] = yield* usesOf(1, promotion, 300)

        const refusing = answering("exhausted")
        assert.strictEqual(yield* promotions.recordUse(first!, refusing.decide), "exhausted")
        assert.deepStrictEqual(refusing.seen, [{ promotion, usage: { usesCount: 0, discountTotalXof: xof(0), customerUses: 0 } }])
        assert.deepStrictEqual(yield* counters(promotion.id), Option.some([0, 0]))
        assert.isFalse(yield* promotions.releaseUse(first!.orderId))

        const accepting = answering(undefined)
        assert.isUndefined(yield* promotions.recordUse(first!, accepting.decide))
        assert.isUndefined(yield* promotions.recordUse(second!, accepting.decide))
        assert.isUndefined(yield* promotions.recordUse(someoneElse!, accepting.decide))
        assert.deepStrictEqual(accepting.seen.map((seen) => seen.usage), [
          { usesCount: 0, discountTotalXof: xof(0), customerUses: 0 },
          { usesCount: 1, discountTotalXof: xof(400), customerUses: 1 },
          { usesCount: 2, discountTotalXof: xof(800), customerUses: 0 }
        ])
        // The promotion decide sees is the stored one, counters included.
        assert.deepStrictEqual(accepting.seen[2]!.promotion, { ...promotion, usesCount: 2, discountTotalXof: xof(800) })
        assert.deepStrictEqual(yield* counters(promotion.id), Option.some([3, 1_100]))

        // An order uses a promotion once: a second use of it is refused by the store.
        assert.strictEqual((yield* Effect.flip(promotions.recordUse(first!, answering(undefined).decide)))._tag, "OrdersUnavailable")
        assert.deepStrictEqual(yield* counters(promotion.id), Option.some([3, 1_100]))
        // No such promotion: decide is not asked.
        const unknown = answering(undefined)
        for (const promotionId of [nextId(), ...malformed]) assert.strictEqual(yield* promotions.recordUse({ ...first!, promotionId }, unknown.decide), "unknown_code")
        assert.deepStrictEqual(unknown.seen, [])
      }))

    it.effect("50 concurrent uses, each in its own transaction, of a promotion limited to 5 uses: exactly 5 recorded", () =>
      Effect.gen(function*() {
        const promotions = yield* PromotionRepository
        const transactional = yield* Transactional
        const promotion = yield* create({ maximumUses: 5 })
        const uses = yield* usesOf(50, promotion)
        const outcomes = yield* Effect.forEach(
          uses,
          (use) => transactional.run(promotions.recordUse(use, (current, usage) => usageRefusal(current, usage, use.discountXof))),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(outcomes.filter((outcome) => outcome === undefined).length, 5)
        assert.deepStrictEqual(outcomes.filter((outcome) => outcome !== undefined), Array.from({ length: 45 }, () => "exhausted"))
        assert.deepStrictEqual(yield* counters(promotion.id), Option.some([5, 2_500]))
        // Exactly the recorded ones can be given back.
        const released = yield* Effect.forEach(uses, (use) => promotions.releaseUse(use.orderId))
        assert.deepStrictEqual(released, outcomes.map((outcome) => outcome === undefined))
        assert.deepStrictEqual(yield* counters(promotion.id), Option.some([0, 0]))
      }))

    it.effect("releaseUse gives a use back once: the counts and the customer's uses go down; the next order may take it", () =>
      Effect.gen(function*() {
        const promotions = yield* PromotionRepository
        const promotion = yield* create({ maximumUses: 1, perCustomerLimit: 1 })
        const [first, next] = yield* usesOf(2, promotion, 700)
        const decide = (use: PromotionUse) => (current: Promotion, usage: PromotionUsage) => usageRefusal(current, usage, use.discountXof)
        assert.isUndefined(yield* promotions.recordUse(first!, decide(first!)))
        assert.strictEqual(yield* promotions.recordUse(next!, decide(next!)), "exhausted")

        assert.isTrue(yield* promotions.releaseUse(first!.orderId))
        assert.deepStrictEqual(yield* counters(promotion.id), Option.some([0, 0]))
        assert.isFalse(yield* promotions.releaseUse(first!.orderId))
        assert.deepStrictEqual(yield* counters(promotion.id), Option.some([0, 0]))

        const seeing = answering(undefined)
        assert.isUndefined(yield* promotions.recordUse(next!, seeing.decide))
        assert.deepStrictEqual(seeing.seen[0]?.usage, { usesCount: 0, discountTotalXof: xof(0), customerUses: 0 })
        assert.deepStrictEqual(yield* counters(promotion.id), Option.some([1, 700]))

        assert.isFalse(yield* promotions.releaseUse(nextId()))
        for (const id of malformed) assert.isFalse(yield* promotions.releaseUse(id))
      }))

    it.effect("a failed Transactional run takes back a use and a release", () =>
      Effect.gen(function*() {
        const promotions = yield* PromotionRepository
        const transactional = yield* Transactional
        const promotion = yield* create()
        const [use] = yield* usesOf(1, promotion, 600)
        const refused = yield* Effect.flip(transactional.run(Effect.andThen(promotions.recordUse(use!, answering(undefined).decide), Effect.fail("payment refused" as const))))
        assert.strictEqual(refused, "payment refused")
        assert.deepStrictEqual(yield* counters(promotion.id), Option.some([0, 0]))
        assert.isFalse(yield* promotions.releaseUse(use!.orderId))

        assert.isUndefined(yield* promotions.recordUse(use!, answering(undefined).decide))
        yield* Effect.flip(transactional.run(Effect.andThen(promotions.releaseUse(use!.orderId), Effect.fail("refund refused" as const))))
        assert.deepStrictEqual(yield* counters(promotion.id), Option.some([1, 600]))
        assert.isTrue(yield* promotions.releaseUse(use!.orderId))
      }))
  })
