import { describe, expect, it } from "vitest"
import { Context, Effect, Exit, Layer } from "effect"
import { EarningsPolicyFromConfig } from "@nelo/adapters/earnings/EarningsPolicyFromConfig"
import { describeFailure } from "@nelo/adapters/logging/describeFailure"
import { defaultEarningsPolicy, EarningsPolicy } from "@nelo/domain/earnings/EarningsPolicy"
import { withEnv } from "../../support/withEnv.ts"

// Both variables the adapter reads, unset, so that the machine's env does not leak into a case.
const unset: Record<string, undefined> = { EARNINGS_PROVIDER_COMMISSION_BP: undefined, EARNINGS_DRIVER_COMMISSION_BP: undefined }

const policy = Effect.flatMap(Layer.build(EarningsPolicyFromConfig), (context) => Effect.succeed(Context.get(context, EarningsPolicy))).pipe(Effect.scoped)
const policyWith = (env: Record<string, string>) => Effect.runSync(policy.pipe(Effect.provide(withEnv({ ...unset, ...env }))))
const refusalOf = (env: Record<string, string>) => {
  const exit = Effect.runSyncExit(policy.pipe(Effect.provide(withEnv({ ...unset, ...env }))))
  if (Exit.isSuccess(exit)) throw new Error(`expected ${JSON.stringify(env)} to be refused`)
  return describeFailure(exit.cause.reasons[0]?._tag === "Fail" ? exit.cause.reasons[0].error : exit.cause)
}

describe("EarningsPolicyFromConfig", () => {
  it("with no variable set: 15 % on the items, 10 % on the delivery fee", () => {
    expect(policyWith({})).toStrictEqual(defaultEarningsPolicy)
    expect(defaultEarningsPolicy).toStrictEqual({ providerCommissionBasisPoints: 1_500, driverCommissionBasisPoints: 1_000 })
  })

  it("each overrides its default, 0 and 10,000 included", () => {
    expect(policyWith({ EARNINGS_PROVIDER_COMMISSION_BP: "1200", EARNINGS_DRIVER_COMMISSION_BP: "0" })).toStrictEqual({ providerCommissionBasisPoints: 1_200, driverCommissionBasisPoints: 0 })
    expect(policyWith({ EARNINGS_DRIVER_COMMISSION_BP: "10000" }).driverCommissionBasisPoints).toBe(10_000)
  })

  it("a rate out of 0..10,000 or not whole stops start-up naming its variable", () => {
    expect(refusalOf({ EARNINGS_PROVIDER_COMMISSION_BP: "10001" })).toMatch(/^EARNINGS_PROVIDER_COMMISSION_BP: /u)
    expect(refusalOf({ EARNINGS_DRIVER_COMMISSION_BP: "-1" })).toMatch(/^EARNINGS_DRIVER_COMMISSION_BP: /u)
    expect(refusalOf({ EARNINGS_DRIVER_COMMISSION_BP: "12.5" })).toMatch(/^EARNINGS_DRIVER_COMMISSION_BP: /u)
    expect(refusalOf({ EARNINGS_PROVIDER_COMMISSION_BP: "quinze" })).toMatch(/^EARNINGS_PROVIDER_COMMISSION_BP: /u)
  })
})
