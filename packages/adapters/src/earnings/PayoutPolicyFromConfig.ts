import { Config, Effect, Layer, Schema } from "effect"
import { defaultPayoutPolicy, PayoutPolicy } from "@nelo/domain/earnings/PayoutPolicy"
import { xof } from "@nelo/domain/shared/Xof"

const WholeNumber = (maximum: number) => Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum })))

/**
 * How payouts are made, from env: EARNINGS_PAYOUT_MINIMUM_XOF (1,000 F), EARNINGS_PAYOUT_NET_CASH
 * (false: a driver's earnings are paid even while he holds cash; true: they pay it back first),
 * EARNINGS_PAYOUT_NUMBER_HOLD_HOURS (24), EARNINGS_PAYOUT_MAX_PERIOD_DAYS (62). A malformed value
 * stops start-up naming its variable.
 */
export const PayoutPolicyFromConfig = Layer.effect(PayoutPolicy, Effect.gen(function*() {
  const numbers = yield* Config.all({
    minimumXof: Config.schema(WholeNumber(100_000_000), "EARNINGS_PAYOUT_MINIMUM_XOF").pipe(Config.withDefault(defaultPayoutPolicy.minimumXof)),
    netCashAtPayout: Config.Boolean("EARNINGS_PAYOUT_NET_CASH").pipe(Config.withDefault(defaultPayoutPolicy.netCashAtPayout)),
    holdHours: Config.schema(WholeNumber(24 * 30), "EARNINGS_PAYOUT_NUMBER_HOLD_HOURS").pipe(Config.withDefault(defaultPayoutPolicy.numberChangeHoldMs / 3600_000)),
    maximumPeriodDays: Config.schema(WholeNumber(366), "EARNINGS_PAYOUT_MAX_PERIOD_DAYS").pipe(Config.withDefault(defaultPayoutPolicy.maximumPeriodDays))
  })
  return PayoutPolicy.of({
    // At least 1 F: a payout of nothing is no payout.
    minimumXof: xof(Math.max(1, numbers.minimumXof)),
    netCashAtPayout: numbers.netCashAtPayout,
    numberChangeHoldMs: numbers.holdHours * 3600_000,
    maximumPeriodDays: Math.max(1, numbers.maximumPeriodDays)
  })
}))
