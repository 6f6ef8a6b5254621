import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import type { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import type { Delivery } from "@nelo/domain/deliveries/Delivery"
import { DeliveryRepository } from "@nelo/domain/deliveries/DeliveryRepository"
import type { DriverRepository } from "@nelo/domain/deliveries/DriverRepository"
import type { Rating } from "@nelo/domain/deliveries/Rating"
import { RatingRepository } from "@nelo/domain/deliveries/RatingRepository"
import type { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import type { OrderRepository } from "@nelo/domain/orders/OrderRepository"
import { Transactional } from "@nelo/domain/shared/Transactional"
import type { UserRepository } from "@nelo/domain/users/UserRepository"
import { makeOrder, newParties, place } from "../../orders/contracts/orderRepositoryContract.ts"
import { nextId } from "../../wallet/contracts/ledgerContract.ts"
import { aRegisteredDriver } from "./driverRepositoryContract.ts"

const now = () => new Date(Math.floor(Date.now() / 1_000) * 1_000)

/**
 * An order delivered by a new driver, as the Postgres store's foreign keys want it (the order, its
 * customer and provider, the driver, the delivery), and its rating as a customer would give it.
 */
const aDeliveredOrder = Effect.gen(function*() {
  const { customerId, providerId } = yield* newParties
  const order = makeOrder(customerId, providerId)
  yield* place(order)
  const driver = yield* aRegisteredDriver
  const at = now()
  const delivery: Delivery = {
    id: nextId(),
    orderId: order.id,
    providerId,
    customerId,
    status: "delivered",
    driverId: driver.userId,
    dispatchAt: at,
    progress: { radiusIndex: 0, batchesInRadius: 1, batchCount: 1, roundStartedAt: at },
    unassignedSince: null,
    nextRetryAt: null,
    wrongCodeAttempts: 0,
    completionLockedAt: null,
    cashCollectedXof: null,
    failure: null,
    assignedAt: at,
    pickedUpAt: at,
    deliveredAt: at,
    createdAt: at,
    updatedAt: at
  }
  assert.strictEqual((yield* (yield* DeliveryRepository).create(delivery))._tag, "Created")
  const rating: Rating = {
    orderId: order.id,
    deliveryId: delivery.id,
    customerId,
    driverId: driver.userId,
    providerId,
    driverStars: 5,
    providerStars: 4,
    comment: "Garba encore chaud, livreur très poli. Merci !",
    createdAt: new Date(at.getTime() + 60_000)
  }
  return rating
})

const malformed = ["not-a-uuid", "", "'; DROP TABLE deliveries.ratings; --"]

export type RatingContractServices = RatingRepository | DeliveryRepository | DriverRepository | OrderRepository | ProviderRepository | UserRepository | ZoneRepository | Transactional

/** One suite, run against every RatingRepository adapter. */
export const ratingRepositoryContract = (name: string, repositoryLayer: Layer.Layer<RatingContractServices, unknown>) =>
  layer(repositoryLayer, { excludeTestServices: true })(`RatingRepository contract: ${name}`, (it) => {
    it.effect("records a rating once: found by its order as given; a second for the order writes nothing and finds the first", () =>
      Effect.gen(function*() {
        const ratings = yield* RatingRepository
        const rating = yield* aDeliveredOrder
        assert.deepStrictEqual(yield* ratings.record(rating), { _tag: "Recorded", rating })
        assert.deepStrictEqual(yield* ratings.findByOrder(rating.orderId), Option.some(rating))
        const again = yield* ratings.record({ ...rating, driverStars: 1, providerStars: 1, comment: null, createdAt: new Date(rating.createdAt.getTime() + 60_000) })
        assert.deepStrictEqual(again, { _tag: "AlreadyRated", existing: rating })
        assert.deepStrictEqual(yield* ratings.findByOrder(rating.orderId), Option.some(rating))
      }))

    it.effect("no comment is null; any order without a rating, unknown or malformed ids are none", () =>
      Effect.gen(function*() {
        const ratings = yield* RatingRepository
        const rating = { ...(yield* aDeliveredOrder), driverStars: 1, providerStars: 5, comment: null }
        assert.isTrue(Option.isNone(yield* ratings.findByOrder(rating.orderId)))
        yield* ratings.record(rating)
        assert.deepStrictEqual(yield* ratings.findByOrder(rating.orderId), Option.some(rating))
        assert.isTrue(Option.isNone(yield* ratings.findByOrder(nextId())))
        for (const id of malformed) assert.isTrue(Option.isNone(yield* ratings.findByOrder(id)), id)
      }))

    it.effect("a rating recorded in a transaction that fails is taken back: the order may be rated again", () =>
      Effect.gen(function*() {
        const ratings = yield* RatingRepository
        const rating = yield* aDeliveredOrder
        const failed = yield* Effect.flip((yield* Transactional).run(Effect.andThen(ratings.record(rating), Effect.fail("rolled back" as const))))
        assert.strictEqual(failed, "rolled back")
        assert.isTrue(Option.isNone(yield* ratings.findByOrder(rating.orderId)))
        assert.strictEqual((yield* ratings.record(rating))._tag, "Recorded")
      }))

    it.effect("two ratings of one order sent at once, each in its transaction: one is recorded, the other finds it", () =>
      Effect.gen(function*() {
        const ratings = yield* RatingRepository
        const transactional = yield* Transactional
        const rating = yield* aDeliveredOrder
        const attempts = [rating, { ...rating, driverStars: 2, providerStars: 3, comment: "trop lent" }]
        const outcomes = yield* Effect.all(attempts.map((attempt) => transactional.run(ratings.record(attempt))), { concurrency: "unbounded" })
        const recorded = outcomes.filter((outcome) => outcome._tag === "Recorded")
        const refused = outcomes.filter((outcome) => outcome._tag === "AlreadyRated")
        assert.lengthOf(recorded, 1)
        assert.lengthOf(refused, 1)
        const kept = recorded[0]!._tag === "Recorded" ? recorded[0]!.rating : undefined
        assert.deepStrictEqual(refused[0]!._tag === "AlreadyRated" ? refused[0]!.existing : undefined, kept)
        assert.deepStrictEqual(yield* ratings.findByOrder(rating.orderId), Option.some(kept!))
      }))
  })
