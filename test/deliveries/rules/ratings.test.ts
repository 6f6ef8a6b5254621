import { assert, describe, it } from "@effect/vitest"
import { Effect, Logger, Option } from "effect"
import { TestClock } from "effect/testing"
import fc from "fast-check"
import { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import { DeliveryRepository } from "@nelo/domain/deliveries/DeliveryRepository"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import { DriverRepository } from "@nelo/domain/deliveries/DriverRepository"
import { averageStars } from "@nelo/domain/deliveries/Rating"
import { RatingRepository } from "@nelo/domain/deliveries/RatingRepository"
import { Ratings } from "@nelo/domain/deliveries/Ratings"
import { Orders } from "@nelo/domain/orders/Orders"
import { customer, restaurant } from "../../orders/ordersFixtures.ts"
import { confirmedEventOf, confirmedOrder, deliverOrder as deliver, dispatchContext, onlineDriver } from "../dispatchFixtures.ts"

// Customers rate their delivered orders on the memory adapters: the driver and the provider, 1..5
// each, once, within 7 days of the handover; the stars move the driver's rating (what the matching
// reads) and the provider's public one.

type Place = Effect.Success<ReturnType<typeof restaurant>>

/** An order placed at `place` by a new customer and confirmed (what confirmedOrder does, at a place of the test's choosing). */
const confirmedAt = (place: Place) =>
  Effect.gen(function*() {
    const buyer = yield* customer(50_000)
    const orders = yield* Orders
    const placed = yield* orders.place(buyer.id, {
      providerId: place.provider.id,
      items: [{ productId: place.garbaId, quantity: 1, options: ["size-small"] }],
      addressId: buyer.addressId,
      promoCode: null,
      paymentMethod: "wallet",
      note: null,
      pin: buyer.pin,
      idempotencyKey: `rating-order-${crypto.randomUUID()}`
    } as never)
    const confirmed = yield* orders.confirm(place.owner as never, placed.id, 10)
    return { order: confirmed, event: yield* confirmedEventOf(confirmed), customer: buyer, place }
  })

/** A driver online near the town centre and an order of a new customer he delivered. */
const deliveredOrder = Effect.gen(function*() {
  const driver = yield* onlineDriver(300)
  return { ...(yield* deliver(yield* confirmedOrder(), driver)), driver }
})

const driverOf = (userId: string) => Effect.map(DriverRepository.use((drivers) => drivers.findById(userId)), Option.getOrThrow)
const providerOf = (id: string) => Effect.map(ProviderRepository.use((providers) => providers.findById(id)), Option.getOrThrow)
const ratingCounts = (found: { readonly ratingSum: number; readonly ratingCount: number }) => ({ ratingSum: found.ratingSum, ratingCount: found.ratingCount })

describe("ratings", () => {
  it.effect("a delivered order is rated once: the rating kept as given, the driver's and the provider's stars added", () =>
    Effect.gen(function*() {
      const { order, customer: buyer, driver, delivery, place } = yield* deliveredOrder
      const ratings = yield* Ratings
      const notYet = yield* Effect.flip(ratings.ratingOf(buyer.id, order.id))
      assert.strictEqual(notYet._tag, "RatingNotFound")
      assert.deepStrictEqual(ratingCounts(yield* driverOf(driver.userId)), { ratingSum: 0, ratingCount: 0 })
      assert.deepStrictEqual(ratingCounts(yield* providerOf(place.provider.id)), { ratingSum: 0, ratingCount: 0 })

      yield* TestClock.adjust("2 hours")
      const rating = yield* ratings.rate(buyer.id, order.id, { driverStars: 5, providerStars: 3, comment: "Livreur rapide, garba un peu froid." })
      assert.deepStrictEqual(rating, {
        orderId: order.id,
        deliveryId: delivery.id,
        customerId: buyer.id,
        driverId: driver.userId,
        providerId: place.provider.id,
        driverStars: 5,
        providerStars: 3,
        comment: "Livreur rapide, garba un peu froid.",
        createdAt: new Date(delivery.deliveredAt!.getTime() + 2 * 3_600_000)
      })
      assert.deepStrictEqual(yield* ratings.ratingOf(buyer.id, order.id), rating)
      assert.deepStrictEqual(ratingCounts(yield* driverOf(driver.userId)), { ratingSum: 5, ratingCount: 1 })
      assert.deepStrictEqual(ratingCounts(yield* providerOf(place.provider.id)), { ratingSum: 3, ratingCount: 1 })

      // Twice: refused, and nothing moves.
      const twice = yield* Effect.flip(ratings.rate(buyer.id, order.id, { driverStars: 1, providerStars: 1, comment: null }))
      assert.strictEqual(twice._tag, "AlreadyRated")
      assert.deepStrictEqual(yield* ratings.ratingOf(buyer.id, order.id), rating)
      assert.deepStrictEqual(ratingCounts(yield* driverOf(driver.userId)), { ratingSum: 5, ratingCount: 1 })
      assert.deepStrictEqual(ratingCounts(yield* providerOf(place.provider.id)), { ratingSum: 3, ratingCount: 1 })
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("before its delivery an order cannot be rated (confirmed, on its way): nothing is written", () =>
    Effect.gen(function*() {
      const driver = yield* onlineDriver(300)
      const placed = yield* confirmedOrder()
      const ratings = yield* Ratings
      const confirmed = yield* Effect.flip(ratings.rate(placed.customer.id, placed.order.id, { driverStars: 5, providerStars: 5, comment: null }))
      assert.strictEqual(confirmed._tag, "RatingNotOpen")
      // Assigned to the driver, not handed over yet.
      yield* (yield* Dispatch).open(placed.event)
      const delivery = Option.getOrThrow(yield* (yield* DeliveryRepository).findByOrder(placed.order.id))
      const offer = (yield* (yield* DeliveryRepository).offersOf(delivery.id))[0]!
      yield* (yield* Dispatch).accept(driver.userId, offer.id)
      const assigned = yield* Effect.flip(ratings.rate(placed.customer.id, placed.order.id, { driverStars: 5, providerStars: 5, comment: null }))
      assert.strictEqual(assigned._tag, "RatingNotOpen")
      assert.isTrue(Option.isNone(yield* (yield* RatingRepository).findByOrder(placed.order.id)))
      assert.deepStrictEqual(ratingCounts(yield* driverOf(driver.userId)), { ratingSum: 0, ratingCount: 0 })
      assert.deepStrictEqual(ratingCounts(yield* providerOf(placed.place.provider.id)), { ratingSum: 0, ratingCount: 0 })
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("within 7 days of the delivery only: a minute before the end it is rated, a minute after it is refused", () =>
    Effect.gen(function*() {
      const driver = yield* onlineDriver(300)
      const first = yield* deliver(yield* confirmedOrder(), driver)
      const second = yield* deliver(yield* confirmedOrder(), driver)
      const ratings = yield* Ratings
      // The TestClock stood still: both were handed over at the same instant.
      assert.strictEqual(second.delivery.deliveredAt!.getTime(), first.delivery.deliveredAt!.getTime())
      yield* TestClock.adjust(7 * 24 * 3_600_000 - 60_000)
      yield* ratings.rate(first.customer.id, first.order.id, { driverStars: 4, providerStars: 4, comment: null })
      yield* TestClock.adjust("2 minutes")
      const late = yield* Effect.flip(ratings.rate(first.customer.id, first.order.id, { driverStars: 4, providerStars: 4, comment: null }))
      assert.strictEqual(late._tag, "AlreadyRated", "rated already says more than a closed window")
      const closed = yield* Effect.flip(ratings.rate(second.customer.id, second.order.id, { driverStars: 1, providerStars: 1, comment: null }))
      assert.strictEqual(closed._tag, "RatingWindowClosed")
      assert.strictEqual(closed._tag === "RatingWindowClosed" ? closed.windowDays : null, 7)
      assert.deepStrictEqual(ratingCounts(yield* driverOf(driver.userId)), { ratingSum: 4, ratingCount: 1 })
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("another customer's order, or one that does not exist, is not found: neither rated nor read", () =>
    Effect.gen(function*() {
      const { order, customer: buyer, driver } = yield* deliveredOrder
      const stranger = yield* customer(0)
      const ratings = yield* Ratings
      const notHis = yield* Effect.flip(ratings.rate(stranger.id, order.id, { driverStars: 1, providerStars: 1, comment: null }))
      assert.strictEqual(notHis._tag, "OrderNotFound")
      const unknown = yield* Effect.flip(ratings.rate(buyer.id, crypto.randomUUID(), { driverStars: 1, providerStars: 1, comment: null }))
      assert.strictEqual(unknown._tag, "OrderNotFound")
      // The driver rating his own delivery is nobody's customer either.
      const self = yield* Effect.flip(ratings.rate(driver.userId, order.id, { driverStars: 5, providerStars: 5, comment: null }))
      assert.strictEqual(self._tag, "OrderNotFound")
      yield* ratings.rate(buyer.id, order.id, { driverStars: 4, providerStars: 5, comment: null })
      const read = yield* Effect.flip(ratings.ratingOf(stranger.id, order.id))
      assert.strictEqual(read._tag, "OrderNotFound")
      assert.deepStrictEqual(ratingCounts(yield* driverOf(driver.userId)), { ratingSum: 4, ratingCount: 1 })
    }).pipe(Effect.provide(dispatchContext())))

  it.effect("property: after n ratings the driver's and the provider's means are the mean of the stars given", () =>
    Effect.gen(function*() {
      const starsArbitrary = fc.integer({ min: 1, max: 5 })
      const run = (given: ReadonlyArray<{ readonly driver: number; readonly provider: number }>) =>
        Effect.gen(function*() {
          const driver = yield* onlineDriver(300)
          const place = yield* restaurant()
          const ratings = yield* Ratings
          for (const stars of given) {
            const delivered = yield* deliver(yield* confirmedAt(place), driver)
            yield* ratings.rate(delivered.customer.id, delivered.order.id, { driverStars: stars.driver, providerStars: stars.provider, comment: null })
          }
          const mean = (values: ReadonlyArray<number>) => values.reduce((sum, value) => sum + value, 0) / values.length
          const rated = yield* driverOf(driver.userId)
          const provider = yield* providerOf(place.provider.id)
          assert.strictEqual(rated.ratingCount, given.length)
          assert.strictEqual(provider.ratingCount, given.length)
          assert.closeTo(rated.ratingSum / rated.ratingCount, mean(given.map((stars) => stars.driver)), 1e-9)
          assert.closeTo(provider.ratingSum / provider.ratingCount, mean(given.map((stars) => stars.provider)), 1e-9)
          // What the public view shows: the mean to one decimal.
          assert.strictEqual(averageStars(provider.ratingSum, provider.ratingCount), Math.round(mean(given.map((stars) => stars.provider)) * 10) / 10)
        })
      // A fresh memory context per case: the driver is the only one online, so every order is his.
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.array(fc.record({ driver: starsArbitrary, provider: starsArbitrary }), { minLength: 1, maxLength: 6 }),
            (given) => Effect.runPromise(run(given).pipe(Effect.provide(dispatchContext()), Effect.provide(Logger.layer([]))))
          ),
          { numRuns: 25 }
        )
      )
    }), 60_000)
})
