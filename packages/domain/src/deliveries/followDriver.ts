import { type Array as Arr, Effect, Exit, Option, Scope, Stream } from "effect"
import type { DeliveryDetails, OfferDetails } from "./Deliveries.ts"
import { DriverFeed, type DriverFeedSignal } from "./DriverFeed.ts"
import { DriverRepository } from "./DriverRepository.ts"
import { DriverNotRegistered } from "./errors.ts"

/**
 * What a driver's live stream sends: `Ready` first (his open offers and the delivery he holds, as
 * the store has them when the stream starts), then, as they change, his whole list of open offers
 * (the app replaces its own) or his delivery (null: he holds none now).
 */
export type DriverFeedItem =
  | { readonly _tag: "Ready"; readonly offers: ReadonlyArray<OfferDetails>; readonly delivery: DeliveryDetails | null }
  | { readonly _tag: "Offers"; readonly offers: ReadonlyArray<OfferDetails> }
  | { readonly _tag: "Delivery"; readonly delivery: DeliveryDetails | null }

/** How the stream reads a driver's offers and delivery: the same reads as his GET endpoints. */
export interface DriverReads<E> {
  readonly offersFor: (driverId: string) => Effect.Effect<ReadonlyArray<OfferDetails>, E>
  readonly current: (driverId: string) => Effect.Effect<Option.Option<DeliveryDetails>, E>
}

/**
 * A driver's live stream. The feed only wakes it up: on each signal it reads again what changed
 * (his offers, his delivery; both after a resync), so a signal lost, late or repeated leaves
 * nothing wrong on his screen, and nothing of an offer or a delivery travels through the feed.
 * Signals that arrived together are read once (a phone on a poor network gets one list, not five).
 */
export const makeFollowDriver = <E>(reads: DriverReads<E>) =>
  Effect.gen(function*() {
    const feed = yield* DriverFeed
    const drivers = yield* DriverRepository

    return Effect.fn("Deliveries.followDriver")(function*(driverId: string) {
      if (Option.isNone(yield* drivers.findById(driverId))) return yield* new DriverNotRegistered()
      // Subscribed before the stream is answered (a feed that cannot be followed is a 503, not an
      // empty 200) and before the store is read (a change committed in between is in one or the
      // other). The subscription lasts as long as the stream.
      const subscription = yield* Scope.make()
      const signals = yield* Scope.provide(feed.subscribe(driverId), subscription).pipe(
        Effect.onError((cause) => Scope.close(subscription, Exit.failCause(cause)))
      )

      const offers = Effect.map(reads.offersFor(driverId), (found): DriverFeedItem => ({ _tag: "Offers", offers: found }))
      const delivery = Effect.map(reads.current(driverId), (found): DriverFeedItem => ({ _tag: "Delivery", delivery: Option.getOrNull(found) }))
      const ready = Effect.map(
        Effect.all([reads.offersFor(driverId), reads.current(driverId)], { concurrency: "unbounded" }),
        ([found, held]): DriverFeedItem => ({ _tag: "Ready", offers: found, delivery: Option.getOrNull(held) })
      )

      const onSignals = (batch: Arr.NonEmptyReadonlyArray<DriverFeedSignal>) => {
        const resync = batch.some((signal) => signal._tag === "Resync")
        const reread = [
          ...(resync || batch.some((signal) => signal._tag === "OffersChanged") ? [offers] : []),
          ...(resync || batch.some((signal) => signal._tag === "DeliveryChanged") ? [delivery] : [])
        ]
        return Stream.fromIterableEffect(Effect.all(reread))
      }

      return Stream.fromEffect(ready).pipe(
        Stream.concat(Stream.flatMap(Stream.chunks(signals), onSignals)),
        Stream.ensuring(Scope.close(subscription, Exit.void))
      )
    })
  })
