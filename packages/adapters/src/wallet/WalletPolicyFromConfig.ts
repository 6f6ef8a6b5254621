import { Config, Effect, Layer, Schema } from "effect"
import type { Phone } from "@nelo/domain/shared/Phone"
import { defaultWalletPolicy, WalletPolicy } from "@nelo/domain/wallet/WalletPolicy"
import { Xof } from "@nelo/domain/shared/Xof"

// E.164 numbers (as stored), comma-separated; empty: no SMS alerts (the events are still written).
const PhoneList = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^(?:\+225(?:01|05|07)\d{8}(?:,\+225(?:01|05|07)\d{8})*)?$/u, {
    expected: "empty, or comma-separated Ivorian mobiles in E.164 (+2250701020304,+2250501020304)"
  }))
)

/** WALLET_ALERT_PHONES: who receives the wallet's alerts (freezes, payment mismatches) by SMS. */
const alertPhones = Config.schema(PhoneList, "WALLET_ALERT_PHONES").pipe(
  Config.withDefault(""),
  Config.map((text) => text.split(",").filter((phone) => phone.length > 0).map((phone) => phone as Phone))
)

/** The wallet's limits and thresholds, each overridable from env; the domain's defaults otherwise. */
export const WalletPolicyFromConfig = Layer.effect(WalletPolicy, Effect.gen(function*() {
  const defaults = defaultWalletPolicy
  // Limits, amounts and delays above zero; thresholds from zero (0: the first one freezes).
  const amount = (name: string, fallback: number) =>
    Config.schema(Schema.Int.pipe(Schema.check(Schema.isGreaterThan(0))), name).pipe(Config.withDefault(fallback))
  // Francs: whole, above zero, held exactly.
  const francs = (name: string, fallback: Xof) =>
    Config.schema(Xof.pipe(Schema.check(Schema.isGreaterThan(0))), name).pipe(Config.withDefault(fallback))
  const threshold = (name: string, fallback: number) =>
    Config.schema(Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))), name).pipe(Config.withDefault(fallback))
  return yield* Config.all({
    limits: Config.all({
      none: Config.all({
        dailyXof: francs("WALLET_DAILY_LIMIT_XOF", defaults.limits.none.dailyXof),
        monthlyXof: francs("WALLET_MONTHLY_LIMIT_XOF", defaults.limits.none.monthlyXof)
      }),
      approved: Config.all({
        dailyXof: francs("WALLET_KYC_DAILY_LIMIT_XOF", defaults.limits.approved.dailyXof),
        monthlyXof: francs("WALLET_KYC_MONTHLY_LIMIT_XOF", defaults.limits.approved.monthlyXof)
      })
    }),
    timeZone: Config.succeed(defaults.timeZone),
    freezeAfterPinFailuresPerDay: threshold("WALLET_FREEZE_AFTER_PIN_FAILURES_PER_DAY", defaults.freezeAfterPinFailuresPerDay),
    freezeAfterNewReceiversPerHour: threshold("WALLET_FREEZE_AFTER_NEW_RECEIVERS_PER_HOUR", defaults.freezeAfterNewReceiversPerHour),
    topupMinimumXof: francs("TOPUP_MINIMUM_XOF", defaults.topupMinimumXof),
    topupMaximumXof: francs("TOPUP_MAXIMUM_XOF", defaults.topupMaximumXof),
    topupRecheckAfterMs: amount("TOPUP_RECHECK_AFTER_MS", defaults.topupRecheckAfterMs),
    topupAbandonAfterMs: amount("TOPUP_ABANDON_AFTER_MS", defaults.topupAbandonAfterMs),
    expiredTopupRecheckAfterMs: amount("TOPUP_EXPIRED_RECHECK_AFTER_MS", defaults.expiredTopupRecheckAfterMs),
    expiredTopupWatchMs: amount("TOPUP_EXPIRED_WATCH_MS", defaults.expiredTopupWatchMs),
    alertPhones
  })
}))
