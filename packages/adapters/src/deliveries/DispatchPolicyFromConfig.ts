import { Config, Effect, Layer, Option, Schema, SchemaTransformation } from "effect"
import { FailureReason } from "@nelo/domain/deliveries/Delivery"
import { defaultDispatchPolicy, DispatchPolicy } from "@nelo/domain/deliveries/DispatchPolicy"
import { MatchingSettings, MatchingWeights } from "@nelo/domain/deliveries/MatchingSettings"
import { BasisPoints } from "@nelo/domain/shared/Xof"
import { commaList, MobilePhone, WholeFromString } from "../config/commaList.ts"

const between = (minimum: number, maximum: number) => Schema.isBetween({ minimum, maximum })
const hour = 3_600_000

// DISPATCH_RADII_M: 1 to 5 radii in meters, each 100 m to 50 km, each farther than the one before.
const Radii = commaList(WholeFromString.pipe(Schema.check(between(100, 50_000)))).pipe(
  Schema.check(
    Schema.makeFilter((radii: ReadonlyArray<number>) => radii.length >= 1 && radii.length <= 5, { expected: "1 to 5 comma-separated radii in meters (3000,5000,8000)" }),
    Schema.makeFilter((radii: ReadonlyArray<number>) => radii.every((radius, index) => index === 0 || radius > radii[index - 1]!), {
      expected: "growing radii, each farther than the one before (3000,5000,8000)"
    })
  )
)

// MATCHING_WEIGHTS_BP: five basis points in the order proximity,availability,rating,vehicle,history,
// decoded with the domain's MatchingWeights (whole, each 0 to 10,000, summing to 10,000).
const WeightsList = commaList(WholeFromString).pipe(
  Schema.check(Schema.makeFilter((weights: ReadonlyArray<number>) => weights.length === 5, {
    expected: "five comma-separated basis points: proximity,availability,rating,vehicle,history (3000,2500,2000,1500,1000)"
  })),
  Schema.decodeTo(MatchingWeights, SchemaTransformation.transform<typeof MatchingWeights.Encoded, ReadonlyArray<number>>({
    decode: ([proximity, availability, rating, vehicle, history]) => ({
      proximity: proximity!,
      availability: availability!,
      rating: rating!,
      vehicle: vehicle!,
      history: history!
    }),
    encode: (weights) => [weights.proximity, weights.availability, weights.rating, weights.vehicle, weights.history]
  }))
)

// Who receives dispatch's alerts by SMS; unset, the wallet's admins on duty (WALLET_ALERT_PHONES).
const phones = (name: string) => Config.schema(commaList(MobilePhone), name)
const alertPhones = phones("DISPATCH_ALERT_PHONES").pipe(
  Config.option,
  Config.flatMap(Option.match({
    onSome: (own) => Config.succeed(own),
    onNone: () => phones("WALLET_ALERT_PHONES").pipe(Config.withDefault(defaultDispatchPolicy.alertPhones))
  }))
)

/**
 * Dispatch's and the handover's numbers, each overridable from env (DISPATCH_*, MATCHING_*); the
 * domain's defaults otherwise. A malformed or out-of-bounds value stops start-up naming its variable.
 */
export const DispatchPolicyFromConfig = Layer.effect(DispatchPolicy, Effect.gen(function*() {
  const defaults = defaultDispatchPolicy
  const number = <A>(schema: Schema.Codec<A, unknown>, name: string, fallback: A) => Config.schema(schema, name).pipe(Config.withDefault(fallback))
  const whole = (name: string, minimum: number, maximum: number, fallback: number) => number(Schema.Int.pipe(Schema.check(between(minimum, maximum))), name, fallback)
  const matching = MatchingSettings.fields
  return yield* Config.all({
    matching: Config.all({
      weights: number(WeightsList, "MATCHING_WEIGHTS_BP", defaults.matching.weights),
      availabilityCapMs: number(matching.availabilityCapMs, "MATCHING_AVAILABILITY_CAP_MS", defaults.matching.availabilityCapMs),
      ratingPriorMean: number(matching.ratingPriorMean, "MATCHING_RATING_PRIOR_MEAN", defaults.matching.ratingPriorMean),
      ratingPriorWeight: number(matching.ratingPriorWeight, "MATCHING_RATING_PRIOR_WEIGHT", defaults.matching.ratingPriorWeight),
      historyWithoutOffers: number(matching.historyWithoutOffers, "MATCHING_HISTORY_WITHOUT_OFFERS", defaults.matching.historyWithoutOffers),
      recentOffersWindow: number(matching.recentOffersWindow, "MATCHING_RECENT_OFFERS_WINDOW", defaults.matching.recentOffersWindow)
    }),
    offersPerBatch: whole("DISPATCH_OFFERS_PER_BATCH", 1, 10, defaults.offersPerBatch),
    offerTimeoutMs: whole("DISPATCH_OFFER_TIMEOUT_MS", 5_000, 5 * 60_000, defaults.offerTimeoutMs),
    radiiM: number(Radii, "DISPATCH_RADII_M", defaults.radiiM),
    batchesPerRadius: whole("DISPATCH_BATCHES_PER_RADIUS", 1, 10, defaults.batchesPerRadius),
    candidatesPerSearch: whole("DISPATCH_CANDIDATES_PER_SEARCH", 1, 1_000, defaults.candidatesPerSearch),
    retryIntervalMs: whole("DISPATCH_RETRY_INTERVAL_MS", 5_000, hour, defaults.retryIntervalMs),
    giveUpAfterMs: whole("DISPATCH_GIVE_UP_AFTER_MS", 60_000, 24 * hour, defaults.giveUpAfterMs),
    timeoutsBeforeOffline: whole("DISPATCH_TIMEOUTS_BEFORE_OFFLINE", 1, 100, defaults.timeoutsBeforeOffline),
    dispatchLeadMs: whole("DISPATCH_LEAD_MS", 0, 2 * hour, defaults.dispatchLeadMs),
    wrongCodeAttemptsAllowed: whole("DISPATCH_WRONG_CODE_ATTEMPTS", 1, 20, defaults.wrongCodeAttemptsAllowed),
    refundedFailures: number(commaList(FailureReason), "DISPATCH_REFUNDED_FAILURES", defaults.refundedFailures),
    roadFactor: number(Schema.Finite.pipe(Schema.check(between(1, 3))), "DISPATCH_ROAD_FACTOR", defaults.roadFactor),
    averageSpeedKmh: number(Schema.Finite.pipe(Schema.check(between(1, 120))), "DISPATCH_AVERAGE_SPEED_KMH", defaults.averageSpeedKmh),
    // The earnings' own setting: an offer shows what settlement will pay (a driver's override aside).
    driverCommissionBasisPoints: number(BasisPoints, "EARNINGS_DRIVER_COMMISSION_BP", defaults.driverCommissionBasisPoints),
    alertPhones,
    ratingWindowMs: whole("DISPATCH_RATING_WINDOW_MS", hour, 90 * 24 * hour, defaults.ratingWindowMs)
  })
}))
