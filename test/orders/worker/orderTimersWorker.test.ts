import { randomBytes } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer, Option } from "effect"
import { OrdersPorts } from "@nelo/adapters/contexts/OrdersLive"
import { CataloguePorts } from "@nelo/adapters/contexts/CatalogueLive"
import { PinCheckPorts } from "@nelo/adapters/contexts/AuthLive"
import { WalletLive, WalletPorts } from "@nelo/adapters/contexts/WalletLive"
import { AddressRepositoryPostgres } from "@nelo/adapters/postgres/AddressRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { PaymentGatewaysFromConfig } from "@nelo/adapters/payments/PaymentGatewaysFromConfig"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { OrderRepository } from "@nelo/domain/orders/OrderRepository"
import { Orders } from "@nelo/domain/orders/Orders"
import { WorkerLayer } from "../../../apps/worker/src/WorkerLayer.ts"
import { captureLogs, eventually } from "../../support/captureLogs.ts"
import { deleteRedisKeys } from "../../support/globalSetup.ts"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { withEnv } from "../../support/withEnv.ts"
import { balanceOf, customer, escrowOf, restaurant } from "../ordersFixtures.ts"

// Once for real: the API's use case writes an order and its event, the worker relays the event,
// schedules the confirmation deadline as a BullMQ delayed job, and cancels the order when the
// provider has not confirmed in time (here 1.5 s), refunding the customer.

layer(Layer.empty, { excludeTestServices: true, timeout: "60 seconds" })("order timers through the worker", (it) => {
  it.effect("an order its provider does not confirm in time is cancelled by the worker and refunded; a confirmed one is left alone", () =>
    Effect.scoped(Effect.gen(function*() {
      const databaseUrl = yield* isolatedDatabase("order_timers")
      const prefix = `nelo-test-timers-${randomBytes(4).toString("hex")}`
      yield* Effect.addFinalizer(() => Effect.promise(() => deleteRedisKeys(prefix)))
      const env = withEnv({
        DATABASE_URL: databaseUrl,
        REDIS_KEY_PREFIX: prefix,
        ORDERS_CONFIRM_WITHIN_MS: "1500",
        OUTBOX_POLL_INTERVAL_MS: "50",
        JOB_BACKOFF_MS: "50"
      })
      const infrastructure = Layer.mergeAll(PostgresLayer, RedisClientLayer).pipe(Layer.provide(env))
      // What the API runs to place orders, and what the fixtures write with.
      const api = yield* Layer.build(Orders.layer.pipe(
        Layer.provideMerge(WalletLive),
        Layer.provideMerge(Layer.mergeAll(OrdersPorts, CataloguePorts, AddressRepositoryPostgres, WalletPorts, PinCheckPorts, ZoneRepositoryPostgres, PaymentGatewaysFromConfig)),
        Layer.provideMerge(infrastructure),
        Layer.provide(env)
      ))
      yield* Layer.build(WorkerLayer.pipe(Layer.provide(PostgresLayer), Layer.provide(env), Layer.provide(captureLogs().layer)))

      const run = <A, E>(effect: Effect.Effect<A, E, any>) => effect.pipe(Effect.provide(api)) as Effect.Effect<A, E>
      yield* run(seedCity(tiassale))
      const orders = Context.get(api, Orders)
      const place = yield* run(restaurant(10))
      const aya = yield* run(customer(10_000))
      const placeOne = (key: string) => orders.place(aya.id, {
        providerId: place.provider.id,
        items: [{ productId: place.garbaId, quantity: 1, options: ["size-small"] }],
        addressId: aya.addressId,
        promoCode: null,
        paymentMethod: "wallet",
        note: null,
        pin: aya.pin,
        idempotencyKey: key
      })
      const forgotten = yield* placeOne("timer-forgotten-1")
      const confirmed = yield* placeOne("timer-confirmed-1")
      yield* orders.confirm(place.owner, confirmed.id, 15)

      const repository = Context.get(api, OrderRepository)
      const cancelled = yield* eventually(
        Effect.map(repository.findById(forgotten.id), (found) => Option.isSome(found) && found.value.status === "cancelled" ? found.value : undefined),
        20_000,
        "the unconfirmed order cancelled by the worker"
      )
      assert.strictEqual(cancelled.paymentStatus, "refunded")
      assert.deepStrictEqual(cancelled.cancellation, { by: { kind: "system", id: "confirmation_deadline" }, responsible: "provider", reason: "Le commerce n'a pas confirmé la commande à temps." })
      assert.strictEqual(yield* run(balanceOf(aya.id)), 10_000 - confirmed.totals.totalXof, "the forgotten order refunded, the confirmed one still paid")
      assert.strictEqual(yield* run(escrowOf(place.provider.id)), confirmed.totals.totalXof)
      // Its deadline came too, and found it confirmed.
      yield* Effect.sleep("1 second")
      assert.strictEqual(Option.getOrThrow(yield* repository.findById(confirmed.id)).status, "confirmed")
    })))
})
