import { describe, expect, it } from "vitest"
import { Context, Effect, Exit, Layer } from "effect"
import { DriverCashPolicyFromConfig } from "@nelo/adapters/earnings/DriverCashPolicyFromConfig"
import { describeFailure } from "@nelo/adapters/logging/describeFailure"
import { defaultDriverCashPolicy, DriverCashPolicy } from "@nelo/domain/earnings/DriverCashPolicy"
import { withEnv } from "../../support/withEnv.ts"

// Every variable the adapter reads, unset, so that the machine's env does not leak into a case.
const unset: Record<string, undefined> = {
  EARNINGS_CASH_MAX_AGE_HOURS: undefined,
  EARNINGS_CASH_ALERT_AT: undefined,
  EARNINGS_CASH_ALERT_PHONES: undefined,
  DISPATCH_ALERT_PHONES: undefined,
  WALLET_ALERT_PHONES: undefined
}

const policy = Effect.flatMap(Layer.build(DriverCashPolicyFromConfig), (context) => Effect.succeed(Context.get(context, DriverCashPolicy))).pipe(Effect.scoped)
const policyWith = (env: Record<string, string>) => Effect.runSync(policy.pipe(Effect.provide(withEnv({ ...unset, ...env }))))
const refusalOf = (env: Record<string, string>) => {
  const exit = Effect.runSyncExit(policy.pipe(Effect.provide(withEnv({ ...unset, ...env }))))
  if (Exit.isSuccess(exit)) throw new Error(`expected ${JSON.stringify(env)} to be refused`)
  return describeFailure(exit.cause.reasons[0]?._tag === "Fail" ? exit.cause.reasons[0].error : exit.cause)
}

describe("DriverCashPolicyFromConfig", () => {
  it("with no variable set: 48 h, 08:00 in Abidjan, nobody to alert", () => {
    expect(policyWith({})).toStrictEqual(defaultDriverCashPolicy)
    expect(defaultDriverCashPolicy).toStrictEqual({ maximumAgeMs: 48 * 3_600_000, alertAtMinutes: 480, alertPhones: [] })
  })

  it("each overrides its default", () => {
    expect(policyWith({ EARNINGS_CASH_MAX_AGE_HOURS: "24", EARNINGS_CASH_ALERT_AT: "07:30", EARNINGS_CASH_ALERT_PHONES: "+2250701020304, +2250501020304" })).toStrictEqual({
      maximumAgeMs: 24 * 3_600_000,
      alertAtMinutes: 450,
      alertPhones: ["+2250701020304", "+2250501020304"]
    })
    expect(policyWith({ EARNINGS_CASH_ALERT_AT: "00:00" }).alertAtMinutes).toBe(0)
    expect(policyWith({ EARNINGS_CASH_ALERT_AT: "23:59" }).alertAtMinutes).toBe(23 * 60 + 59)
  })

  it("the alert phones: its own list, else dispatch's, else the wallet's; an empty value counts as unset", () => {
    expect(policyWith({ DISPATCH_ALERT_PHONES: "+2250701020304", WALLET_ALERT_PHONES: "+2250501020304" }).alertPhones).toStrictEqual(["+2250701020304"])
    expect(policyWith({ WALLET_ALERT_PHONES: "+2250501020304" }).alertPhones).toStrictEqual(["+2250501020304"])
    expect(policyWith({ EARNINGS_CASH_ALERT_PHONES: "+2250101020304", DISPATCH_ALERT_PHONES: "+2250701020304" }).alertPhones).toStrictEqual(["+2250101020304"])
    expect(policyWith({ EARNINGS_CASH_ALERT_PHONES: "", DISPATCH_ALERT_PHONES: "+2250701020304" }).alertPhones).toStrictEqual(["+2250701020304"])
  })

  it("a malformed or out-of-range value stops start-up naming its variable", () => {
    expect(refusalOf({ EARNINGS_CASH_MAX_AGE_HOURS: "0" })).toMatch(/^EARNINGS_CASH_MAX_AGE_HOURS: /u)
    expect(refusalOf({ EARNINGS_CASH_MAX_AGE_HOURS: "721" })).toMatch(/^EARNINGS_CASH_MAX_AGE_HOURS: /u)
    expect(refusalOf({ EARNINGS_CASH_MAX_AGE_HOURS: "1.5" })).toMatch(/^EARNINGS_CASH_MAX_AGE_HOURS: /u)
    expect(refusalOf({ EARNINGS_CASH_ALERT_AT: "8:00" })).toMatch(/^EARNINGS_CASH_ALERT_AT: /u)
    expect(refusalOf({ EARNINGS_CASH_ALERT_AT: "24:00" })).toMatch(/^EARNINGS_CASH_ALERT_AT: /u)
    expect(refusalOf({ EARNINGS_CASH_ALERT_PHONES: "+2252721000000" })).toMatch(/^EARNINGS_CASH_ALERT_PHONES: /u)
    expect(refusalOf({ DISPATCH_ALERT_PHONES: "07 01" })).toMatch(/^DISPATCH_ALERT_PHONES: /u)
  })
})
