import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { EarningsLive } from "@nelo/adapters/contexts/EarningsLive"
import { WalletPorts } from "@nelo/adapters/contexts/WalletLive"
import { IdGeneratorUuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { payoutGatewaysMemory } from "@nelo/adapters/memory/PayoutGatewaysMemory"
import { PayoutAccountRepositoryPostgres } from "@nelo/adapters/postgres/PayoutAccountRepositoryPostgres"
import { PayoutRepositoryPostgres } from "@nelo/adapters/postgres/PayoutRepositoryPostgres"
import { ProviderRepositoryPostgres } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { Earnings } from "@nelo/domain/earnings/Earnings"
import { PayoutAccountRepository } from "@nelo/domain/earnings/PayoutAccountRepository"
import { PayoutPolicy } from "@nelo/domain/earnings/PayoutPolicy"
import { Payouts } from "@nelo/domain/earnings/Payouts"
import type { Phone } from "@nelo/domain/shared/Phone"
import { makeAuditLedger } from "@nelo/domain/wallet/auditLedger"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { problemOf } from "../../support/neloClient.ts"
import { adminOf, balance, type Customer, customerOf, escrowOf, garbaItem, ok, placed, places, type Restaurant, restaurantOf, walletOrder } from "../../support/orderClient.ts"
import { Bed, confirmAndDispatch, type Driver, deliveryBedLayer, driverAt, expectProblemOf, offline, rawCall, readyOver } from "../../deliveries/http/deliveryFixtures.ts"

// An admin refunds a delivered order over HTTP (issue 13, "Refunds"): 201 with what is left to
// refund, the money in the customer's wallet at once; bad input a 400 naming the field; a
// non-admin 403; an unknown order 404; and concurrent refunds of one order never exceeding it.

const anOrder = (shop: Restaurant, buyer: Customer) => placed(buyer, walletOrder(shop, buyer, [garbaItem(shop, 2)]))

const delivered = (shop: Restaurant, order: { readonly id: string; readonly deliveryCode?: string | undefined }, driver: Driver) =>
  Effect.gen(function*() {
    const { deliveryId, offers } = yield* confirmAndDispatch(shop, order.id)
    const offer = offers.find((candidate) => candidate.driverId === driver.userId)
    assert.isDefined(offer, "the order is offered to the driver")
    yield* ok(driver.api.drivers.acceptOffer({ params: { offerId: offer!.id } }))
    yield* readyOver(shop, order.id)
    yield* ok(driver.api.deliveries.pickUp({ params: { deliveryId } }))
    yield* ok(driver.api.deliveries.start({ params: { deliveryId } }))
    const done = yield* ok(driver.api.deliveries.complete({ params: { deliveryId }, payload: { code: order.deliveryCode! } }))
    assert.strictEqual(done.status, "delivered")
  })

/** A delivered wallet order of a new customer at a new restaurant, by a new driver (offline afterwards). */
const deliveredOrder = Effect.gen(function*() {
  const bed = yield* Bed
  const shop = yield* restaurantOf(bed.api)
  const buyer = yield* customerOf(bed, { funds: 20_000 })
  const driver = yield* driverAt(places.market)
  const order = yield* anOrder(shop, buyer)
  yield* delivered(shop, order, driver)
  yield* offline([driver])
  return { shop, buyer, order }
})

const refundPath = (orderId: string) => `/api/v1/admin/orders/${orderId}/refund`

// The earnings context on the same Postgres, in this process: the settlement the worker would run,
// and a payout run (its gateways in memory), raced against the API's refunds.
const PayoutsOnPostgres = Payouts.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(PayoutRepositoryPostgres, PayoutAccountRepositoryPostgres, PayoutPolicy.defaults, payoutGatewaysMemory(), ProviderRepositoryPostgres, UserRepositoryPostgres, WalletPorts, IdGeneratorUuidV7))
)
const BedLayer = Layer.fresh(Layer.mergeAll(EarningsLive, PayoutsOnPostgres)).pipe(Layer.provideMerge(deliveryBedLayer()))

layer(BedLayer, { excludeTestServices: true, timeout: "180 seconds" })("admin refunds over HTTP", (it) => {
  it.effect("201 partial then full into the wallet; then 409 refund_exceeds_paid with nothing left; original refused 409", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const admin = yield* adminOf(bed.api)
      const { buyer, order, shop } = yield* deliveredOrder
      const total = order.totalXof
      const before = yield* balance(buyer)
      const escrow = yield* escrowOf(shop.providerId)

      const first = yield* ok(admin.api.ordersAdmin.refund({ params: { orderId: order.id }, payload: { amountXof: 1_000, reason: "Boisson manquante", responsible: "provider", to: "wallet", idempotencyKey: crypto.randomUUID() } }), 201)
      assert.deepInclude(first, { orderId: order.id, reference: order.reference, amountXof: 1_000, responsible: "provider", to: "wallet", chargedTo: "escrow", refundedXof: 1_000, refundableXof: total - 1_000 })
      assert.strictEqual(yield* balance(buyer), before + 1_000)
      assert.strictEqual(yield* escrowOf(shop.providerId), escrow - 1_000)

      const original = yield* problemOf(admin.api.ordersAdmin.refund({ params: { orderId: order.id }, payload: { amountXof: total - 1_000, reason: "Tout", responsible: "platform", to: "original", idempotencyKey: crypto.randomUUID() } }))
      assert.strictEqual(original.status, 409)
      assert.strictEqual(original.body.code, "refund_to_original_unavailable")

      const rest = yield* ok(admin.api.ordersAdmin.refund({ params: { orderId: order.id }, payload: { amountXof: total - 1_000, reason: "Commande froide", responsible: "platform", to: "wallet", idempotencyKey: crypto.randomUUID() } }), 201)
      assert.deepInclude(rest, { refundedXof: total, refundableXof: 0 })
      assert.strictEqual(yield* balance(buyer), before + total)

      const over = yield* problemOf(admin.api.ordersAdmin.refund({ params: { orderId: order.id }, payload: { amountXof: 1, reason: "Encore", responsible: "driver", to: "wallet", idempotencyKey: crypto.randomUUID() } }))
      assert.strictEqual(over.status, 409)
      assert.strictEqual(over.body.code, "refund_exceeds_paid")
      assert.strictEqual((over.body as { readonly refundableXof?: number }).refundableXof, 0)
      assert.match(over.body.message, /rembours/u)
    }))

  it.effect("bad input, each field a 400 naming it; a non-admin 403; an unknown order 404; an order not delivered 409", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const admin = yield* adminOf(bed.api)
      const shop = yield* restaurantOf(bed.api)
      const buyer = yield* customerOf(bed, { funds: 20_000 })
      const order = yield* anOrder(shop, buyer)
      const good = { amountXof: 500, reason: "Plat manquant", responsible: "provider", to: "wallet", idempotencyKey: crypto.randomUUID() }
      const bad: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
        ["amountXof", { ...good, amountXof: 0 }],
        ["amountXof", { ...good, amountXof: 10.5 }],
        ["amountXof", { ...good, amountXof: "500" }],
        ["reason", { ...good, reason: "ab" }],
        ["reason", { ...good, reason: " Plat manquant" }],
        ["reason", { ...good, reason: "x".repeat(501) }],
        ["reason", { ...good, reason: "Plat\u0000manquant" }],
        ["responsible", { ...good, responsible: "customer" }],
        ["to", { ...good, to: "wave" }],
        ["to", { amountXof: 500, reason: "Plat manquant", responsible: "provider", idempotencyKey: crypto.randomUUID() }],
        ["idempotencyKey", { ...good, idempotencyKey: "short" }],
        ["idempotencyKey", { ...good, idempotencyKey: "espaces interdits ici" }],
        ["idempotencyKey", { amountXof: 500, reason: "Plat manquant", responsible: "provider", to: "wallet" }]
      ]
      for (const [field, body] of bad) {
        const response = yield* rawCall("POST", refundPath(order.id), admin.token, body)
        expectProblemOf(response, 400, "invalid_request", field)
        assert.include(JSON.stringify(response.body), field, `${field}: ${JSON.stringify(body)}`)
      }
      expectProblemOf(yield* rawCall("POST", refundPath(order.id), buyer.token, good), 403, "forbidden")
      expectProblemOf(yield* rawCall("POST", refundPath(order.id), undefined, good), 401, "unauthenticated")
      expectProblemOf(yield* rawCall("POST", refundPath(crypto.randomUUID()), admin.token, good), 404, "order_not_found")
      const early = yield* rawCall("POST", refundPath(order.id), admin.token, good)
      expectProblemOf(early, 409, "order_not_refundable")
      assert.strictEqual((early.body as { readonly reason?: string }).reason, "not_delivered")
    }))

  it.effect("5 concurrent refunds of 40 % each on one order: exactly two succeed, the wallet gets 80 %, the others 409", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const admin = yield* adminOf(bed.api)
      const { buyer, order } = yield* deliveredOrder
      const before = yield* balance(buyer)
      const part = Math.floor(order.totalXof * 0.4)
      const answers = yield* Effect.all(
        Array.from({ length: 5 }, (_, index) => rawCall("POST", refundPath(order.id), admin.token, { amountXof: part, reason: `Geste commercial ${index}`, responsible: "platform", to: "wallet", idempotencyKey: crypto.randomUUID() })),
        { concurrency: "unbounded" }
      )
      const statuses = answers.map((answer) => answer.status).sort()
      assert.deepStrictEqual(statuses, [201, 201, 409, 409, 409], JSON.stringify(answers.map((answer) => answer.body)))
      for (const answer of answers.filter((answer) => answer.status === 409)) assert.strictEqual((answer.body as { readonly code: string }).code, "refund_exceeds_paid")
      assert.strictEqual(yield* balance(buyer), before + 2 * part)
    }))

  it.effect("the same idempotencyKey: the same refund, credited once, even sent 4 times at once; the key for another refund: 409 idempotency_key_reused", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const admin = yield* adminOf(bed.api)
      const { buyer, order } = yield* deliveredOrder
      const before = yield* balance(buyer)
      const idempotencyKey = crypto.randomUUID()
      const body = { amountXof: 700, reason: "Boisson tiède", responsible: "provider", to: "wallet", idempotencyKey }
      const answers = yield* Effect.all(Array.from({ length: 4 }, () => rawCall("POST", refundPath(order.id), admin.token, body)), { concurrency: "unbounded" })
      assert.deepStrictEqual(answers.map((answer) => answer.status), [201, 201, 201, 201], JSON.stringify(answers.map((answer) => answer.body)))
      const transactionIds = new Set(answers.map((answer) => (answer.body as { readonly transactionId: string }).transactionId))
      assert.strictEqual(transactionIds.size, 1)
      assert.deepInclude(answers[0]!.body as object, { amountXof: 700, refundedXof: 700, refundableXof: order.totalXof - 700 })
      assert.strictEqual(yield* balance(buyer), before + 700)
      for (const other of [{ ...body, amountXof: 800 }, { ...body, responsible: "platform" }, { ...body, reason: "Autre motif" }]) {
        expectProblemOf(yield* rawCall("POST", refundPath(order.id), admin.token, other), 409, "idempotency_key_reused")
      }
      assert.strictEqual(yield* balance(buyer), before + 700)
    }))

  it.effect("refunds after settlement racing payout runs on Postgres: a payout never pays more than the earnings held when it was made; the earnings end at what both leave (below 0 when the payout came first); the audit holds", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const admin = yield* adminOf(bed.api)
      const earnings = yield* Earnings
      const payouts = yield* Payouts
      const ledger = yield* Ledger
      const accounts = yield* PayoutAccountRepository
      for (let round = 0; round < 3; round++) {
        const { order, shop } = yield* deliveredOrder
        assert.strictEqual(yield* earnings.settle(order.id), "settled")
        const payee = { kind: "provider" as const, id: shop.providerId }
        const mobile = `+22507${String(40_000_000 + round).padStart(8, "0")}` as Phone
        yield* accounts.setPending(payee, { mobile, holderName: "Maquis", at: new Date() })
        yield* accounts.confirm(payee, { mobile, at: new Date(Date.now() - 48 * 3600_000), heldUntil: null, changedBy: "test" })
        const providerEarnings = yield* ledger.providerEarningsOf(shop.providerId)
        const earned = (yield* ledger.stateOf(providerEarnings.id)).balanceXof
        const refundXof = Math.floor(order.totalXof * 0.6)
        const [answer, run] = yield* Effect.all([
          rawCall("POST", refundPath(order.id), admin.token, { amountXof: refundXof, reason: "Commande abîmée", responsible: "provider", to: "wallet", idempotencyKey: crypto.randomUUID() }),
          payouts.startRun("refund race")
        ], { concurrency: "unbounded" })
        assert.strictEqual(answer.status, 201, JSON.stringify(answer.body))
        const payout = Option.getOrThrow(run).payouts.find((made) => made.payee.id === shop.providerId)
        const paid = payout?.amountXof ?? 0
        // Made before the refund: all it held (in fives); after it: what the refund left, if over the minimum.
        const left = earned - refundXof
        const afterRefund = left >= 1_000 ? left - (left % 5) : 0
        assert.include([earned - (earned % 5), afterRefund], paid, `earned ${earned}, refund ${refundXof}`)
        assert.strictEqual((yield* ledger.stateOf(providerEarnings.id)).balanceXof, earned - refundXof - paid)
        // The next runs pay nothing while the payout is open or the earnings are below the minimum.
        if (payout !== undefined) yield* payouts.advance(payout.id)
      }
      assert.deepStrictEqual((yield* yield* makeAuditLedger).differences, [])
    }))

  it.effect("refunds racing the settlement on Postgres: 4 of 30 % and the settlement at once: three refunds pass, the escrow ends at 0 whichever came first", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const earnings = yield* Earnings
      const admin = yield* adminOf(bed.api)
      const { buyer, order, shop } = yield* deliveredOrder
      const before = yield* balance(buyer)
      const part = Math.floor(order.totalXof * 0.3)
      const responsibles = ["provider", "driver", "platform", "provider"] as const
      const [settled, ...answers] = yield* Effect.all([
        earnings.settle(order.id),
        ...responsibles.map((responsible, index) => rawCall("POST", refundPath(order.id), admin.token, { amountXof: part, reason: `Course ${index}`, responsible, to: "wallet", idempotencyKey: crypto.randomUUID() }))
      ], { concurrency: "unbounded" })
      assert.strictEqual(settled, "settled")
      assert.deepStrictEqual(answers.map((answer) => (answer as { readonly status: number }).status).sort(), [201, 201, 201, 409])
      assert.strictEqual(yield* balance(buyer), before + 3 * part)
      assert.strictEqual(yield* escrowOf(shop.providerId), 0, "the settlement moved only what the refunds before it left")
      assert.strictEqual(yield* earnings.settle(order.id), "already_settled")
    }))
})
