import { Context, type Effect, type Option } from "effect"
import type { DeliveriesUnavailable } from "./errors.ts"
import type { Rating } from "./Rating.ts"

export type RecordRatingOutcome =
  | { readonly _tag: "Recorded"; readonly rating: Rating }
  /** The order has its rating already (committed, or waited for when two were sent at once): nothing was written. */
  | { readonly _tag: "AlreadyRated"; readonly existing: Rating }

/** Customers' ratings of their delivered orders, one per order. Writes run inside the caller's Transactional. */
export class RatingRepository extends Context.Service<RatingRepository, {
  /** One rating per order (the store's unique key decides between two sent at once). */
  readonly record: (rating: Rating) => Effect.Effect<RecordRatingOutcome, DeliveriesUnavailable>
  readonly findByOrder: (orderId: string) => Effect.Effect<Option.Option<Rating>, DeliveriesUnavailable>
}>()("nelo/deliveries/RatingRepository") {}
