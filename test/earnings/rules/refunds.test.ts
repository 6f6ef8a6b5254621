import { assert, describe, it } from "@effect/vitest"
import { Effect, Logger, Option } from "effect"
import fc from "fast-check"
import { Earnings } from "@nelo/domain/earnings/Earnings"
import { adminRefundKey, type RefundResponsible } from "@nelo/domain/earnings/keys"
import type { RefundRequest } from "@nelo/domain/earnings/refundOrder"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import { Orders } from "@nelo/domain/orders/Orders"
import type { UserId } from "@nelo/domain/users/User"
import { xof } from "@nelo/domain/shared/Xof"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { Wallet } from "@nelo/domain/wallet/Wallet"
import { onlineDriver } from "../../deliveries/dispatchFixtures.ts"
import { balanceOf, restaurant } from "../../orders/ordersFixtures.ts"
import { admin, balances, confirmedAt, deliver, earningsContext, type OrderSpec } from "../earningsFixtures.ts"

// Admin refunds on the memory adapters (issue 13, "Refunds"): two large garbas and the 500 F fee,
// 4,500 F, split at settlement into provider 3,400 F, driver 450 F, platform 650 F. Before the
// settlement a refund leaves the escrow and the settlement charges it to the responsible party's
// share; after it, the responsible party's earnings pay it back. Never more than the total in all.

const audit = Wallet.use((wallet) => wallet.audit)
const settle = (orderId: string) => Earnings.use((earnings) => earnings.settle(orderId))
const refund = (orderId: string, amountXof: number, responsible: RefundResponsible = "provider", to: RefundRequest["to"] = "wallet") =>
  Earnings.use((earnings) => earnings.refund(admin, orderId, { amountXof: xof(amountXof), reason: "Plat manquant", responsible, to, idempotencyKey: crypto.randomUUID() }))

const deliveredOrder = (spec: OrderSpec = {}) =>
  Effect.gen(function*() {
    const driver = yield* onlineDriver(300)
    const place = yield* restaurant()
    const placed = yield* confirmedAt(place, { garbas: 2, large: true, ...spec })
    const order = yield* deliver(placed, driver)
    return { order, driver, place, customerId: placed.customer.id as UserId }
  })

const noticesOf = (orderId: string) =>
  OutboxStore.use((outbox) =>
    Effect.map(outbox.withClaim(10_000, (batch) => Effect.succeed(batch.events.filter((event) => event.aggregateId === orderId && event.type === "notification.requested"))), (events) => events ?? [])
  )

const split = { provider: 3_400, driver: 450, platform: 650 } as const

describe("admin refunds", () => {
  it.effect("partial then full before settlement: from escrow to the wallet, then nothing left; the settlement charges the provider's share; escrow ends at 0", () =>
    Effect.gen(function*() {
      const { customerId, driver, order, place } = yield* deliveredOrder()
      const before = yield* balanceOf(customerId)
      const first = yield* refund(order.id, 1_000)
      assert.deepStrictEqual([first.amountXof, first.chargedTo, first.refundedXof, first.refundableXof, first.to], [1_000, "escrow", 1_000, 3_500, "wallet"])
      assert.strictEqual(yield* balanceOf(customerId), before + 1_000)
      assert.strictEqual((yield* balances(place.provider.id, driver.userId)).escrow, 3_500)

      const ledger = yield* Ledger
      const transaction = Option.getOrThrow(yield* ledger.findByKey(adminRefundKey(order.id, 1, "provider")))
      assert.strictEqual(transaction.type, "refund")
      assert.deepStrictEqual(transaction.cause, { kind: "admin", id: admin.userId })
      assert.strictEqual(transaction.note, "Plat manquant")
      assert.strictEqual(transaction.reference, order.reference)
      const notices = yield* noticesOf(order.id)
      const notice = notices.find((event) => (event.payload as { readonly title?: string }).title === "Remboursement")
      assert.isDefined(notice)
      assert.match((notice!.payload as { readonly body: string }).body, /1 000 F CFA de votre commande .* remboursés sur votre portefeuille NELO/u)
      assert.isString((notice!.payload as { readonly fallbackPhone?: string }).fallbackPhone, "a push, an SMS when no phone is reached")

      const second = yield* refund(order.id, 3_500)
      assert.deepStrictEqual([second.refundedXof, second.refundableXof], [4_500, 0])
      assert.strictEqual(yield* balanceOf(customerId), before + 4_500)
      const over = yield* Effect.flip(refund(order.id, 1))
      assert.deepStrictEqual([over._tag, over._tag === "RefundExceedsPaid" ? over.refundableXof : null], ["RefundExceedsPaid", 0])

      assert.strictEqual(yield* settle(order.id), "settled")
      assert.deepStrictEqual(yield* balances(place.provider.id, driver.userId), { escrow: 0, provider: 3_400 - 4_500, driver: 450, cashInHand: 0, platform: 650 })
      assert.deepStrictEqual((yield* audit).differences, [])
    }).pipe(Effect.provide(earningsContext())))

  it.effect("over the cap refused, writing nothing: 4,501 F of 4,500 F; after 4,000 F, 501 F", () =>
    Effect.gen(function*() {
      const { customerId, order } = yield* deliveredOrder()
      const before = yield* balanceOf(customerId)
      const count = (yield* (yield* Ledger).facts).transactionCount
      const over = yield* Effect.flip(refund(order.id, 4_501))
      assert.deepStrictEqual({ ...over }, { _tag: "RefundExceedsPaid", refundableXof: 4_500 } as never)
      assert.strictEqual((yield* (yield* Ledger).facts).transactionCount, count)
      yield* refund(order.id, 4_000, "platform")
      const again = yield* Effect.flip(refund(order.id, 501, "driver"))
      assert.strictEqual(again._tag === "RefundExceedsPaid" ? again.refundableXof : null, 500)
      yield* refund(order.id, 500, "driver")
      assert.strictEqual(yield* balanceOf(customerId), before + 4_500)
    }).pipe(Effect.provide(earningsContext())))

  for (const responsible of ["provider", "driver", "platform"] as const) {
    it.effect(`before settlement, ${responsible} responsible: escrow pays, the settlement takes 700 F off the ${responsible}'s share`, () =>
      Effect.gen(function*() {
        const { driver, order, place } = yield* deliveredOrder()
        yield* refund(order.id, 700, responsible)
        assert.strictEqual((yield* balances(place.provider.id, driver.userId)).escrow, 3_800)
        assert.strictEqual(yield* settle(order.id), "settled")
        const after = yield* balances(place.provider.id, driver.userId)
        assert.deepStrictEqual({ provider: after.provider, driver: after.driver, platform: after.platform }, { ...split, [responsible]: split[responsible] - 700 })
        assert.strictEqual(after.escrow, 0)
        assert.deepStrictEqual((yield* audit).differences, [])
      }).pipe(Effect.provide(earningsContext())))

    it.effect(`after settlement, ${responsible} responsible: the ${responsible}'s earnings pay it back, even below 0`, () =>
      Effect.gen(function*() {
        const { customerId, driver, order, place } = yield* deliveredOrder()
        assert.strictEqual(yield* settle(order.id), "settled")
        const before = yield* balanceOf(customerId)
        const refunded = yield* refund(order.id, 1_000, responsible)
        assert.strictEqual(refunded.chargedTo, "earnings")
        assert.strictEqual(yield* balanceOf(customerId), before + 1_000)
        const after = yield* balances(place.provider.id, driver.userId)
        assert.deepStrictEqual({ provider: after.provider, driver: after.driver, platform: after.platform }, { ...split, [responsible]: split[responsible] - 1_000 })
        assert.strictEqual(after.escrow, 0)
        assert.strictEqual(yield* settle(order.id), "already_settled")
        assert.deepStrictEqual((yield* audit).differences, [])
      }).pipe(Effect.provide(earningsContext())))
  }

  it.effect("refused: a cash order before delivery, an order in progress, a cancelled paid order, to the original means, a non-admin, an unknown order", () =>
    Effect.gen(function*() {
      const place = yield* restaurant()
      const cash = yield* confirmedAt(place, { paymentMethod: "cash" })
      assert.deepStrictEqual({ ...(yield* Effect.flip(refund(cash.order.id, 100))) }, { _tag: "OrderNotRefundable", reason: "not_paid" } as never)
      const wallet = yield* confirmedAt(place)
      assert.deepStrictEqual({ ...(yield* Effect.flip(refund(wallet.order.id, 100))) }, { _tag: "OrderNotRefundable", reason: "not_delivered" } as never)
      yield* (yield* Orders).cancelByAdmin({ userId: admin.userId, roles: admin.roles } as never, wallet.order.id, "Rupture de stock", "provider", undefined)
      assert.deepStrictEqual({ ...(yield* Effect.flip(refund(wallet.order.id, 100))) }, { _tag: "OrderNotRefundable", reason: "already_refunded" } as never)

      const { order } = yield* deliveredOrder()
      const original = yield* Effect.flip(refund(order.id, 4_500, "platform", "original"))
      assert.strictEqual(original._tag, "RefundToOriginalUnavailable")
      const notAdmin = yield* Effect.flip(Earnings.use((earnings) => earnings.refund({ userId: admin.userId, roles: ["client"] }, order.id, { amountXof: xof(100), reason: "Test", responsible: "platform", to: "wallet", idempotencyKey: crypto.randomUUID() })))
      assert.strictEqual(notAdmin._tag, "AdminRoleRequired")
      assert.strictEqual((yield* Effect.flip(refund(crypto.randomUUID(), 100)))._tag, "OrderNotFound")
      assert.deepStrictEqual((yield* audit).differences, [])
    }).pipe(Effect.provide(earningsContext())))

  it.effect("property: any sequence of refunds and a settlement among them: the wallet gets exactly what was accepted, never more than the total, escrow never negative and 0 at the end, each share less its party's refunds, the audit holds", () =>
    Effect.gen(function*() {
      const step = fc.record({ amountXof: fc.integer({ min: 1, max: 5_000 }), responsible: fc.constantFrom<RefundResponsible>("provider", "driver", "platform") })
      const scenario = fc.record({
        paymentMethod: fc.constantFrom("wallet" as const, "cash" as const),
        steps: fc.array(step, { minLength: 0, maxLength: 6 }),
        settleAt: fc.nat({ max: 6 })
      })
      const run = (input: typeof scenario extends fc.Arbitrary<infer S> ? S : never) =>
        Effect.gen(function*() {
          const { customerId, driver, order, place } = yield* deliveredOrder({ paymentMethod: input.paymentMethod })
          const walletBefore = yield* balanceOf(customerId)
          const charged = { provider: 0, driver: 0, platform: 0 }
          let refunded = 0
          const settleAt = Math.min(input.settleAt, input.steps.length)
          for (let index = 0; index <= input.steps.length; index++) {
            if (index === settleAt) assert.strictEqual(yield* settle(order.id), "settled")
            const next = input.steps[index]
            if (next === undefined) continue
            const outcome = yield* Effect.result(refund(order.id, next.amountXof, next.responsible))
            if (refunded + next.amountXof <= 4_500) {
              assert.strictEqual(outcome._tag, "Success")
              refunded += next.amountXof
              charged[next.responsible] += next.amountXof
            } else {
              assert.strictEqual(outcome._tag === "Failure" ? outcome.failure._tag : "Success", "RefundExceedsPaid")
            }
            assert.isAtLeast((yield* balances(place.provider.id, driver.userId)).escrow, 0)
          }
          assert.strictEqual(yield* balanceOf(customerId), walletBefore + refunded)
          const after = yield* balances(place.provider.id, driver.userId)
          assert.deepStrictEqual(after, {
            escrow: 0,
            provider: split.provider - charged.provider,
            driver: split.driver - charged.driver,
            cashInHand: input.paymentMethod === "cash" ? -4_500 : 0,
            platform: split.platform - charged.platform
          })
          assert.deepStrictEqual((yield* audit).differences, [])
        })
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(scenario, (input) => Effect.runPromise(run(input).pipe(Effect.provide(earningsContext()), Effect.provide(Logger.layer([]))))),
          { numRuns: 30 }
        )
      )
    }), 120_000)
})
