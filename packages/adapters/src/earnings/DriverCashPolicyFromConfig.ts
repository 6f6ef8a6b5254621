import { Config, Effect, Layer, Option, Schema, SchemaTransformation } from "effect"
import { defaultDriverCashPolicy, DriverCashPolicy } from "@nelo/domain/earnings/DriverCashPolicy"
import { commaList, MobilePhone } from "../config/commaList.ts"

const hourMs = 3_600_000

/** EARNINGS_CASH_ALERT_AT: a time of day in Abidjan, "08:00" (24 h), as minutes after midnight. */
const TimeOfDay = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^(?:[01]\d|2[0-3]):[0-5]\d$/u, { expected: "a time of day HH:MM, 24 h, Abidjan (08:00)" })),
  Schema.decodeTo(Schema.Int, SchemaTransformation.transform<number, string>({
    decode: (text) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5)),
    encode: (minutes) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`
  }))
)

/** EARNINGS_CASH_MAX_AGE_HOURS: whole hours, 1 to 720 (30 days). */
const Hours = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 720 })))

// Who receives the drivers' cash alert: its own list, else dispatch's alert phones, else the wallet's
// (the admins on duty), else nobody (the job then logs a warning when drivers are overdue).
const phones = (name: string) => Config.schema(commaList(MobilePhone), name)
const firstOf = (names: ReadonlyArray<string>): Config.Config<ReadonlyArray<typeof MobilePhone.Type>> =>
  names.length === 0
    ? Config.succeed(defaultDriverCashPolicy.alertPhones)
    : phones(names[0]!).pipe(
      Config.option,
      Config.flatMap(Option.match({ onSome: (own) => Config.succeed(own), onNone: () => firstOf(names.slice(1)) }))
    )

/**
 * The drivers' cash follow-up, overridable from env: EARNINGS_CASH_MAX_AGE_HOURS (48 by default),
 * EARNINGS_CASH_ALERT_AT (08:00, Abidjan), EARNINGS_CASH_ALERT_PHONES (else DISPATCH_ALERT_PHONES,
 * else WALLET_ALERT_PHONES). A malformed or out-of-range value stops start-up naming its variable.
 */
export const DriverCashPolicyFromConfig = Layer.effect(DriverCashPolicy, Effect.gen(function*() {
  const defaults = defaultDriverCashPolicy
  return yield* Config.all({
    maximumAgeMs: Config.schema(Hours, "EARNINGS_CASH_MAX_AGE_HOURS").pipe(Config.map((hours) => hours * hourMs), Config.withDefault(defaults.maximumAgeMs)),
    alertAtMinutes: Config.schema(TimeOfDay, "EARNINGS_CASH_ALERT_AT").pipe(Config.withDefault(defaults.alertAtMinutes)),
    alertPhones: firstOf(["EARNINGS_CASH_ALERT_PHONES", "DISPATCH_ALERT_PHONES", "WALLET_ALERT_PHONES"])
  })
}))
