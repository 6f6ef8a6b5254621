import { Config, Effect, Layer, Schema } from "effect"
import { defaultDriverPolicy, DriverPolicy } from "@nelo/domain/deliveries/DriverPolicy"
import { Xof } from "@nelo/domain/shared/Xof"

/** The drivers' rules' numbers, each overridable from env; the domain's defaults otherwise. */
export const DriverPolicyFromConfig = Layer.effect(DriverPolicy, Effect.gen(function*() {
  const defaults = defaultDriverPolicy
  const positive = (name: string, fallback: number) =>
    Config.schema(Schema.Int.pipe(Schema.check(Schema.isGreaterThan(0))), name).pipe(Config.withDefault(fallback))
  return yield* Config.all({
    maximumAccuracyM: positive("DRIVERS_MAXIMUM_ACCURACY_M", defaults.maximumAccuracyM),
    futureToleranceMs: positive("DRIVERS_FUTURE_TOLERANCE_MS", defaults.futureToleranceMs),
    freshLocationMs: positive("DRIVERS_FRESH_LOCATION_MS", defaults.freshLocationMs),
    offlineAfterSilenceMs: positive("DRIVERS_OFFLINE_AFTER_SILENCE_MS", defaults.offlineAfterSilenceMs),
    cashInHandCapXof: Config.schema(Xof.pipe(Schema.check(Schema.isGreaterThan(0))), "DRIVERS_CASH_IN_HAND_CAP_XOF").pipe(Config.withDefault(defaults.cashInHandCapXof)),
    trailMinDistanceM: positive("DRIVERS_TRAIL_MIN_DISTANCE_M", defaults.trailMinDistanceM),
    trailMinIntervalMs: positive("DRIVERS_TRAIL_MIN_INTERVAL_MS", defaults.trailMinIntervalMs)
  })
}))
