import { assert, describe, it } from "@effect/vitest"
import { Effect, Logger, Option } from "effect"
import { TestClock } from "effect/testing"
import fc from "fast-check"
import { Earnings, settlementKey } from "@nelo/domain/earnings/Earnings"
import { splitSettlement } from "@nelo/domain/earnings/splitSettlement"
import type { PromotionFunder } from "@nelo/domain/orders/Order"
import { OrderRepository } from "@nelo/domain/orders/OrderRepository"
import type { PromotionBenefit } from "@nelo/domain/orders/Promotion"
import { basisPoints, xof } from "@nelo/domain/shared/Xof"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { Wallet } from "@nelo/domain/wallet/Wallet"
import { onlineDriver, sendPosition } from "../../deliveries/dispatchFixtures.ts"
import { restaurant } from "../../orders/ordersFixtures.ts"
import { admin, aPromotion, balances, confirmedAt, deliver, earningsContext, type OrderSpec, orderNow, settlementOf } from "../earningsFixtures.ts"

// Settlement at delivery on the memory adapters (issue 13): a delivered order's escrow goes, in one
// ledger transaction keyed on the order, to its provider's earnings (items less 15 % and less a
// discount it funds), its driver's (the fee less 10 %) and the platform's revenue (the commissions
// less a discount it funds); cash orders alike (the driver's cash in hand stands for the payment);
// at the rates in force when the order was placed. Two large garbas (2 × 2,000 F) and the 500 F fee
// of the town centre: 4,500 F, of which 600 F and 50 F of commission.

const audit = Wallet.use((wallet) => wallet.audit)

const settle = (orderId: string) => Earnings.use((earnings) => earnings.settle(orderId))

/** A driver online near the town centre, a restaurant there, and an order of it he delivered. */
const deliveredOrder = (spec: OrderSpec = {}) =>
  Effect.gen(function*() {
    const driver = yield* onlineDriver(300)
    const place = yield* restaurant()
    const order = yield* deliver(yield* confirmedAt(place, { garbas: 2, large: true, ...spec }), driver)
    return { order, driver, place }
  })

describe("settlement at delivery", () => {
  it.effect("a wallet order: escrow → provider 3,400 F, driver 450 F, platform 650 F, in one commission transaction; again: already settled", () =>
    Effect.gen(function*() {
      const { driver, order, place } = yield* deliveredOrder()
      assert.deepStrictEqual(order.totals, { subtotalXof: 4_000, deliveryFeeXof: 500, discountXof: 0, totalXof: 4_500 })
      assert.isTrue(Option.isNone(yield* settlementOf(order)), "delivery alone settles nothing: the worker does, from the event")
      assert.strictEqual((yield* balances(place.provider.id, driver.userId)).escrow, 4_500)

      assert.strictEqual(yield* settle(order.id), "settled")
      assert.deepStrictEqual(yield* balances(place.provider.id, driver.userId), { escrow: 0, provider: 3_400, driver: 450, cashInHand: 0, platform: 650 })
      const ledger = yield* Ledger
      const transaction = Option.getOrThrow(yield* settlementOf(order))
      assert.strictEqual(transaction.type, "commission")
      assert.strictEqual(transaction.idempotencyKey, `order-settlement:${order.id}`)
      assert.deepStrictEqual(transaction.cause, { kind: "system", id: "settlement" })
      assert.strictEqual(transaction.reference, order.reference)
      assert.deepStrictEqual(transaction.postings.map((posting) => [posting.accountId, posting.amountXof]), [
        [(yield* ledger.escrowOf(place.provider.id)).id, -4_500],
        [(yield* ledger.providerEarningsOf(place.provider.id)).id, 3_400],
        [(yield* ledger.driverEarningsOf(driver.userId)).id, 450],
        [(yield* ledger.platformRevenue).id, 650]
      ])

      // Replayed (the event relayed twice), or asked at once by the worker and the back-fill: once.
      const count = (yield* ledger.facts).transactionCount
      assert.deepStrictEqual(yield* Effect.all([settle(order.id), settle(order.id), settle(order.id)], { concurrency: "unbounded" }), ["already_settled", "already_settled", "already_settled"])
      assert.strictEqual((yield* ledger.facts).transactionCount, count)
      assert.deepStrictEqual(yield* balances(place.provider.id, driver.userId), { escrow: 0, provider: 3_400, driver: 450, cashInHand: 0, platform: 650 })
      assert.deepStrictEqual((yield* audit).differences, [])
    }).pipe(Effect.provide(earningsContext())))

  it.effect("a cash order settles alike: the driver's cash in hand (−4,500 F) stood for the payment; he owes 4,050 F net", () =>
    Effect.gen(function*() {
      const { driver, order, place } = yield* deliveredOrder({ paymentMethod: "cash" })
      assert.strictEqual(order.paymentStatus, "paid")
      assert.deepStrictEqual(yield* balances(place.provider.id, driver.userId), { escrow: 4_500, provider: 0, driver: 0, cashInHand: -4_500, platform: 0 })
      assert.strictEqual(yield* settle(order.id), "settled")
      const after = yield* balances(place.provider.id, driver.userId)
      assert.deepStrictEqual(after, { escrow: 0, provider: 3_400, driver: 450, cashInHand: -4_500, platform: 650 })
      assert.strictEqual(after.cashInHand + after.driver, -4_050, "what the driver owes NELO once his earnings are counted")
      assert.deepStrictEqual((yield* audit).differences, [])
    }).pipe(Effect.provide(earningsContext())))

  it.effect("a provider-funded 20 % off comes out of the provider's earnings; a platform-funded free delivery out of the revenue", () =>
    Effect.gen(function*() {
      const percent = yield* aPromotion({ _tag: "PercentOff", basisPoints: basisPoints(2_000) }, "provider")
      const funded = yield* deliveredOrder({ promoCode: percent.code })
      assert.deepStrictEqual(funded.order.promotion?.fundedBy, "provider")
      assert.deepStrictEqual(funded.order.totals, { subtotalXof: 4_000, deliveryFeeXof: 500, discountXof: 800, totalXof: 3_700 })
      assert.strictEqual(yield* settle(funded.order.id), "settled")
      assert.deepStrictEqual(yield* balances(funded.place.provider.id, funded.driver.userId), { escrow: 0, provider: 2_600, driver: 450, cashInHand: 0, platform: 650 })

      const delivery = yield* aPromotion({ _tag: "DeliveryOff", basisPoints: basisPoints(10_000) }, "platform")
      const free = yield* deliveredOrder({ promoCode: delivery.code, paymentMethod: "cash" })
      assert.deepStrictEqual(free.order.totals, { subtotalXof: 4_000, deliveryFeeXof: 500, discountXof: 500, totalXof: 4_000 })
      assert.strictEqual(yield* settle(free.order.id), "settled")
      // The driver is paid his fee less commission though the customer paid no fee: the platform funds it.
      const after = yield* balances(free.place.provider.id, free.driver.userId)
      assert.deepStrictEqual([after.escrow, after.provider, after.driver, after.cashInHand], [0, 3_400, 450, -4_000])
      assert.strictEqual(after.platform, 650 + 150, "650 F of the first order, then 650 F of commission less the 500 F fee it paid")
      assert.deepStrictEqual((yield* audit).differences, [])
    }).pipe(Effect.provide(earningsContext())))

  it.effect("the rates in force when the order was placed: an override effective before applies, one effective after does not", () =>
    Effect.gen(function*() {
      const earnings = yield* Earnings
      const driver = yield* onlineDriver(300)
      const place = yield* restaurant()
      const provider = { kind: "provider" as const, id: place.provider.id }
      const rider = { kind: "driver" as const, id: driver.userId }
      // From now: 12 % on this provider's items, 5 % on this driver's fees.
      yield* earnings.setRate(admin, provider, basisPoints(1_200), null)
      yield* earnings.setRate(admin, rider, basisPoints(500), null)
      yield* TestClock.adjust("1 minute")
      yield* sendPosition(driver, 300)
      const placed = yield* confirmedAt(place, { garbas: 2, large: true })
      // Set after the order was placed, effective a second later: the order keeps the rates it was placed under.
      const later = new Date(placed.order.createdAt.getTime() + 1_000)
      yield* earnings.setRate(admin, provider, basisPoints(3_000), later)
      yield* earnings.setRate(admin, rider, basisPoints(5_000), later)
      yield* TestClock.adjust("5 seconds")
      const order = yield* deliver(placed, driver)
      assert.strictEqual(yield* settle(order.id), "settled")
      // 12 % of 4,000 = 480; 5 % of 500 = 25.
      assert.deepStrictEqual(yield* balances(place.provider.id, driver.userId), { escrow: 0, provider: 3_520, driver: 475, cashInHand: 0, platform: 505 })

      // An order placed now is priced at the later rates: 30 % of 4,000 = 1,200; 50 % of 500 = 250.
      const next = yield* deliver(yield* confirmedAt(place, { garbas: 2, large: true }), driver)
      assert.strictEqual(yield* settle(next.id), "settled")
      assert.deepStrictEqual(yield* balances(place.provider.id, driver.userId), { escrow: 0, provider: 3_520 + 2_800, driver: 475 + 250, cashInHand: 0, platform: 505 + 1_450 })

      const rates = yield* earnings.ratesOf(admin, provider)
      assert.strictEqual(rates.defaultBasisPoints, 1_500)
      assert.deepStrictEqual(rates.overrides.map((rate) => [rate.basisPoints, rate.setBy]), [[1_200, admin.userId], [3_000, admin.userId]])
    }).pipe(Effect.provide(earningsContext())))

  it.effect("setting a rate: admins only, never in the past, for a provider or driver that exists", () =>
    Effect.gen(function*() {
      const earnings = yield* Earnings
      const place = yield* restaurant()
      const provider = { kind: "provider" as const, id: place.provider.id }
      yield* TestClock.adjust("1 hour")
      const notAdmin = yield* Effect.flip(earnings.setRate({ userId: admin.userId, roles: ["client"] }, provider, basisPoints(1_000), null))
      assert.strictEqual(notAdmin._tag, "AdminRoleRequired")
      const past = yield* Effect.flip(earnings.setRate(admin, provider, basisPoints(1_000), new Date(0)))
      assert.strictEqual(past._tag, "RateNotRetroactive")
      const nobody = yield* Effect.flip(earnings.setRate(admin, { kind: "driver", id: place.provider.id }, basisPoints(1_000), null))
      assert.deepStrictEqual([nobody._tag, nobody._tag === "RatePartyNotFound" ? nobody.kind : null], ["RatePartyNotFound", "driver"])
      assert.deepStrictEqual((yield* earnings.ratesOf(admin, provider)).overrides, [])
      const set = yield* earnings.setRate(admin, provider, basisPoints(0), null)
      assert.deepStrictEqual([set.basisPoints, set.effectiveFrom.getTime()], [0, 3_600_000])
    }).pipe(Effect.provide(earningsContext())))

  it.effect("an order not delivered (or no order) is not settled; a delivered order without a driver is refused, writing nothing", () =>
    Effect.gen(function*() {
      const ledger = yield* Ledger
      const place = yield* restaurant()
      const confirmed = yield* confirmedAt(place)
      const before = (yield* ledger.facts).transactionCount
      assert.strictEqual(yield* settle(confirmed.order.id), "not_delivered")
      assert.strictEqual(yield* settle("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"), "not_delivered")
      assert.strictEqual(yield* settle("not-an-id"), "not_delivered")
      // Broken data (only the handover of its delivery delivers an order): written straight to the store.
      const orders = yield* OrderRepository
      yield* orders.update({ ...confirmed.order, status: "delivered" }, { orderId: confirmed.order.id, change: "delivered", from: "confirmed", to: "delivered", actor: { kind: "system", id: "test" }, reason: null, at: new Date() })
      const refused = yield* Effect.flip(settle(confirmed.order.id))
      assert.deepStrictEqual([refused._tag, refused._tag === "SettlementRefused" ? refused.reason : null], ["SettlementRefused", "no_driver"])
      assert.strictEqual((yield* ledger.facts).transactionCount, before)
    }).pipe(Effect.provide(earningsContext())))

  it.effect("the back-fill settles every delivered order not settled yet, page by page, reporting the refused; run again it settles none", () =>
    Effect.gen(function*() {
      const earnings = yield* Earnings
      const driver = yield* onlineDriver(300)
      const place = yield* restaurant()
      const delivered = []
      for (const spec of [{}, { paymentMethod: "cash" as const }, { garbas: 3 }, {}, { refills: 1 }]) delivered.push(yield* deliver(yield* confirmedAt(place, spec), driver))
      const waiting = yield* confirmedAt(place)
      assert.strictEqual(yield* settle(delivered[1]!.id), "settled")
      // A broken one: delivered in the store without a delivery.
      const broken = yield* confirmedAt(place)
      yield* (yield* OrderRepository).update({ ...broken.order, status: "delivered" }, { orderId: broken.order.id, change: "delivered", from: "confirmed", to: "delivered", actor: { kind: "system", id: "test" }, reason: null, at: new Date() })

      const first = yield* earnings.settleDelivered(2)
      assert.deepStrictEqual({ ...first, refused: first.refused.map((refusal) => [refusal.orderId, refusal.reason]) }, {
        examined: 6,
        settled: 4,
        alreadySettled: 1,
        nothingToSettle: 0,
        refused: [[broken.order.id, "no_driver"]]
      })
      for (const order of delivered) assert.isTrue(Option.isSome(yield* settlementOf(order)))
      const total = delivered.reduce((sum, order) => sum + order.totals.totalXof, 0)
      const after = yield* balances(place.provider.id, driver.userId)
      assert.strictEqual(after.escrow, (yield* orderNow(broken.order.id)).totals.totalXof + waiting.order.totals.totalXof, "what is left: the broken order's and the one still confirmed")
      assert.strictEqual(after.provider + after.driver + after.platform, total)

      const again = yield* earnings.settleDelivered(2)
      assert.deepStrictEqual([again.examined, again.settled, again.alreadySettled, again.refused.length], [6, 0, 5, 1])
      assert.deepStrictEqual((yield* audit).differences, [])
    }).pipe(Effect.provide(earningsContext())))

  it.effect("property: over random orders, payment methods, promotions and overrides, a settled order's escrow ends at 0, each share is the split's, the audit holds", () =>
    Effect.gen(function*() {
      const benefit: fc.Arbitrary<PromotionBenefit> = fc.oneof(
        // At least 1 %: a promotion giving 0 F is refused with the order (no_discount).
        fc.record({ _tag: fc.constant("PercentOff" as const), basisPoints: fc.integer({ min: 100, max: 10_000 }).map(basisPoints) }),
        fc.record({ _tag: fc.constant("AmountOff" as const), amountXof: fc.integer({ min: 1, max: 20_000 }).map(xof) }),
        fc.record({ _tag: fc.constant("DeliveryOff" as const), basisPoints: fc.integer({ min: 100, max: 10_000 }).map(basisPoints) })
      )
      const rate = fc.option(fc.integer({ min: 0, max: 10_000 }).map(basisPoints), { nil: null })
      const orderSpec = fc.record({
        paymentMethod: fc.constantFrom("wallet" as const, "cash" as const),
        garbas: fc.integer({ min: 1, max: 4 }),
        large: fc.boolean(),
        refills: fc.integer({ min: 0, max: 1 }),
        promotion: fc.option(fc.record({ benefit, fundedBy: fc.constantFrom<PromotionFunder>("provider", "platform") }), { nil: null }),
        providerRate: rate,
        driverRate: rate
      })
      type Spec = typeof orderSpec extends fc.Arbitrary<infer S> ? S : never

      // One fresh memory context per case: its accounts start at 0, so each balance is this case's.
      const run = (specs: ReadonlyArray<Spec>) =>
        Effect.gen(function*() {
          const earnings = yield* Earnings
          const ledger = yield* Ledger
          const driver = yield* onlineDriver(300)
          let driverTotal = 0
          let platformTotal = 0
          for (const spec of specs) {
            const place = yield* restaurant()
            if (spec.providerRate !== null) yield* earnings.setRate(admin, { kind: "provider", id: place.provider.id }, spec.providerRate, null)
            const driverRate = spec.driverRate
            if (driverRate !== null) yield* earnings.setRate(admin, { kind: "driver", id: driver.userId }, driverRate, null)
            const promotion = spec.promotion === null ? null : yield* aPromotion(spec.promotion.benefit, spec.promotion.fundedBy)
            const order = yield* deliver(yield* confirmedAt(place, { ...spec, promoCode: promotion?.code ?? null }), driver)
            const outcome = yield* settle(order.id)
            const split = splitSettlement({
              subtotalXof: order.totals.subtotalXof,
              deliveryFeeXof: order.totals.deliveryFeeXof,
              discountXof: order.totals.discountXof,
              discountFundedBy: order.promotion?.fundedBy ?? null,
              providerBasisPoints: spec.providerRate ?? basisPoints(1_500),
              // The driver's latest override so far is the one in force (set before this order).
              driverBasisPoints: (yield* earnings.ratesOf(admin, { kind: "driver", id: driver.userId })).overrides.at(-1)?.basisPoints ?? basisPoints(1_000)
            })
            const nothing = split.providerXof === 0 && split.driverXof === 0 && split.platformXof === 0 && order.totals.totalXof === 0
            assert.strictEqual(outcome, nothing ? "nothing_to_settle" : "settled")
            driverTotal += split.driverXof
            platformTotal += split.platformXof
            const after = yield* balances(place.provider.id, driver.userId)
            assert.strictEqual(after.escrow, 0, "the settled order's escrow is empty")
            assert.strictEqual(after.provider, split.providerXof)
            assert.strictEqual(after.driver, driverTotal)
            assert.strictEqual(after.platform, platformTotal)
            assert.strictEqual(yield* settle(order.id), nothing ? "nothing_to_settle" : "already_settled")
            if (!nothing) assert.isTrue((yield* ledger.writtenKeys([settlementKey(order.id)])).has(settlementKey(order.id)))
          }
          assert.deepStrictEqual((yield* audit).differences, [])
        })
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(fc.array(orderSpec, { minLength: 1, maxLength: 3 }), (specs) =>
            Effect.runPromise(run(specs).pipe(Effect.provide(earningsContext()), Effect.provide(Logger.layer([]))))),
          { numRuns: 25 }
        )
      )
    }), 120_000)
})
