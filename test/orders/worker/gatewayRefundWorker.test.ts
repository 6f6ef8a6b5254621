import { randomBytes } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer, Option } from "effect"
import { OrdersPorts } from "@nelo/adapters/contexts/OrdersLive"
import { CataloguePorts } from "@nelo/adapters/contexts/CatalogueLive"
import { PinCheckPorts } from "@nelo/adapters/contexts/AuthLive"
import { WalletLive, WalletPorts } from "@nelo/adapters/contexts/WalletLive"
import { IdGeneratorUuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { AddressRepositoryPostgres } from "@nelo/adapters/postgres/AddressRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { PaymentGatewaysFromConfig } from "@nelo/adapters/payments/PaymentGatewaysFromConfig"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { OrderRepository } from "@nelo/domain/orders/OrderRepository"
import { Orders } from "@nelo/domain/orders/Orders"
import { PaymentIntentRepository } from "@nelo/domain/payments/PaymentIntentRepository"
import { Payments } from "@nelo/domain/payments/Payments"
import { WorkerLayer } from "../../../apps/worker/src/WorkerLayer.ts"
import { captureLogs, eventually } from "../../support/captureLogs.ts"
import { fakeCinetPay } from "../../support/fakeCinetPay.ts"
import { fakeWave } from "../../support/fakeWave.ts"
import { deleteRedisKeys } from "../../support/globalSetup.ts"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { cinetpayApiKey, cinetpaySiteId, gatewayEnv, waveApiKey } from "../../support/walletClient.ts"
import { withEnv } from "../../support/withEnv.ts"
import { balanceOf, customer, escrowOf, restaurant } from "../ordersFixtures.ts"

// Once for real: a Wave order paid through the (fake) Wave API, cancelled by its customer with the
// refund asked back to Wave; the worker relays the cancellation to the refunds queue, asks Wave to
// refund the checkout (POST /v1/checkout/sessions/:id/refund, with an idempotency key) and settles
// the order once Wave has accepted. Wave down at first: the job is retried until it answers.

layer(Layer.empty, { excludeTestServices: true, timeout: "60 seconds" })("gateway refunds through the worker", (it) => {
  it.effect("a Wave order cancelled with its refund to Wave is refunded by Wave through the worker, once, after an outage", () =>
    Effect.scoped(Effect.gen(function*() {
      const databaseUrl = yield* isolatedDatabase("gateway_refunds")
      const prefix = `nelo-test-refunds-${randomBytes(4).toString("hex")}`
      yield* Effect.addFinalizer(() => Effect.promise(() => deleteRedisKeys(prefix)))
      const wave = yield* fakeWave({ apiKey: waveApiKey })
      const cinetpay = yield* fakeCinetPay({ apiKey: cinetpayApiKey, siteId: cinetpaySiteId })
      const env = withEnv({
        ...gatewayEnv(wave, cinetpay),
        DATABASE_URL: databaseUrl,
        REDIS_KEY_PREFIX: prefix,
        OUTBOX_POLL_INTERVAL_MS: "50",
        JOB_BACKOFF_MS: "100",
        JOB_ATTEMPTS: "10"
      })
      const infrastructure = Layer.mergeAll(PostgresLayer, RedisClientLayer).pipe(Layer.provide(env))
      const api = yield* Layer.build(Layer.mergeAll(Orders.layer, Payments.layer).pipe(
        Layer.provideMerge(WalletLive),
        Layer.provideMerge(Layer.mergeAll(OrdersPorts, CataloguePorts, AddressRepositoryPostgres, WalletPorts, PinCheckPorts, ZoneRepositoryPostgres, PaymentGatewaysFromConfig, UserRepositoryPostgres, IdGeneratorUuidV7)),
        Layer.provideMerge(infrastructure),
        Layer.provide(env)
      ))
      const run = <A, E>(effect: Effect.Effect<A, E, any>) => effect.pipe(Effect.provide(api)) as Effect.Effect<A, E>
      yield* run(seedCity(tiassale))
      const orders = Context.get(api, Orders)
      const payments = Context.get(api, Payments)
      const place = yield* run(restaurant(10))
      const aya = yield* run(customer(0))
      const order = yield* orders.place(aya.id, {
        providerId: place.provider.id,
        items: [{ productId: place.garbaId, quantity: 1, options: ["size-large"] }],
        addressId: aya.addressId,
        promoCode: null,
        paymentMethod: "wave",
        note: null,
        pin: null,
        idempotencyKey: "refund-through-worker-1"
      })
      const intent = Option.getOrThrow(yield* Context.get(api, PaymentIntentRepository).findByOrder(order.id))
      wave.pay(intent.id)
      assert.strictEqual(yield* payments.confirmTopup(intent.id, { kind: "system", id: "test" }), "credited")

      // Wave is down when the worker first asks: the escrow keeps the money, the job comes back.
      wave.setUnavailable(true)
      const cancelled = yield* orders.cancelByCustomer(aya.id, order.id, "Commande passée par erreur", "original")
      assert.strictEqual(cancelled.paymentStatus, "refunding")
      yield* Layer.build(WorkerLayer.pipe(Layer.provide(PostgresLayer), Layer.provide(env), Layer.provide(captureLogs().layer)))
      yield* Effect.sleep("1 second")
      assert.strictEqual(Option.getOrThrow(yield* Context.get(api, OrderRepository).findById(order.id)).paymentStatus, "refunding")
      wave.setUnavailable(false)

      const refunded = yield* eventually(
        Effect.map(Context.get(api, OrderRepository).findById(order.id), (found) => Option.isSome(found) && found.value.paymentStatus === "refunded" ? found.value : undefined),
        20_000,
        "the order refunded through Wave by the worker"
      )
      assert.strictEqual(refunded.status, "cancelled")
      assert.deepStrictEqual(wave.refunds, [{ sessionId: wave.sessionOf(intent.id).id, amount: String(order.totals.totalXof) }], "one refund, of the whole amount")
      assert.deepStrictEqual(wave.problems, [])
      assert.strictEqual(yield* run(escrowOf(place.provider.id)), 0)
      assert.strictEqual(yield* run(balanceOf(aya.id)), 0, "the money went back to Wave, not to the wallet")
      assert.strictEqual((yield* payments.refundToGateway(order.id)), "nothing_to_do")
    })))
})
