import { describe, expect, it } from "vitest"
import { Context, Effect, Exit, Layer } from "effect"
import { DispatchPolicyFromConfig } from "@nelo/adapters/deliveries/DispatchPolicyFromConfig"
import { describeFailure } from "@nelo/adapters/logging/describeFailure"
import { defaultDispatchPolicy, DispatchPolicy } from "@nelo/domain/deliveries/DispatchPolicy"
import { withEnv } from "../../support/withEnv.ts"

// Every variable the adapter reads, unset, so that the machine's env does not leak into a case.
const unset: Record<string, undefined> = Object.fromEntries([
  "DISPATCH_OFFERS_PER_BATCH", "DISPATCH_OFFER_TIMEOUT_MS", "DISPATCH_RADII_M", "DISPATCH_BATCHES_PER_RADIUS",
  "DISPATCH_CANDIDATES_PER_SEARCH", "DISPATCH_RETRY_INTERVAL_MS", "DISPATCH_GIVE_UP_AFTER_MS", "DISPATCH_TIMEOUTS_BEFORE_OFFLINE",
  "DISPATCH_LEAD_MS", "DISPATCH_WRONG_CODE_ATTEMPTS", "DISPATCH_REFUNDED_FAILURES", "DISPATCH_ROAD_FACTOR",
  "DISPATCH_AVERAGE_SPEED_KMH", "EARNINGS_DRIVER_COMMISSION_BP", "DISPATCH_ALERT_PHONES", "WALLET_ALERT_PHONES",
  "DISPATCH_RATING_WINDOW_MS", "MATCHING_WEIGHTS_BP", "MATCHING_AVAILABILITY_CAP_MS", "MATCHING_RATING_PRIOR_MEAN",
  "MATCHING_RATING_PRIOR_WEIGHT", "MATCHING_HISTORY_WITHOUT_OFFERS", "MATCHING_RECENT_OFFERS_WINDOW"
].map((name) => [name, undefined]))

const policy = Effect.flatMap(Layer.build(DispatchPolicyFromConfig), (context) => Effect.succeed(Context.get(context, DispatchPolicy))).pipe(Effect.scoped)
const policyWith = (env: Record<string, string>) => Effect.runSync(policy.pipe(Effect.provide(withEnv({ ...unset, ...env }))))
const refusalOf = (env: Record<string, string>) => {
  const exit = Effect.runSyncExit(policy.pipe(Effect.provide(withEnv({ ...unset, ...env }))))
  if (Exit.isSuccess(exit)) throw new Error(`expected ${JSON.stringify(env)} to be refused`)
  return describeFailure(exit.cause.reasons[0]?._tag === "Fail" ? exit.cause.reasons[0].error : exit.cause)
}

describe("DispatchPolicyFromConfig", () => {
  it("with no variable set: the domain's defaults", () => {
    expect(policyWith({})).toStrictEqual(defaultDispatchPolicy)
  })

  it("each kind of value overrides its default: numbers, lists, reasons, weights, phones", () => {
    const read = policyWith({
      DISPATCH_OFFERS_PER_BATCH: "5",
      DISPATCH_OFFER_TIMEOUT_MS: "45000",
      DISPATCH_RADII_M: "2000, 4000,10000",
      DISPATCH_LEAD_MS: "0",
      DISPATCH_REFUNDED_FAILURES: "unsafe,customer_absent",
      DISPATCH_ROAD_FACTOR: "1.45",
      EARNINGS_DRIVER_COMMISSION_BP: "1500",
      DISPATCH_ALERT_PHONES: "+2250701020304,+2250501020304",
      MATCHING_WEIGHTS_BP: "4000,2000,2000,1000,1000",
      MATCHING_RATING_PRIOR_MEAN: "4.2",
      MATCHING_RECENT_OFFERS_WINDOW: "50"
    })
    expect(read).toStrictEqual({
      ...defaultDispatchPolicy,
      offersPerBatch: 5,
      offerTimeoutMs: 45_000,
      radiiM: [2_000, 4_000, 10_000],
      dispatchLeadMs: 0,
      refundedFailures: ["unsafe", "customer_absent"],
      roadFactor: 1.45,
      driverCommissionBasisPoints: 1_500,
      alertPhones: ["+2250701020304", "+2250501020304"],
      matching: {
        ...defaultDispatchPolicy.matching,
        weights: { proximity: 4_000, availability: 2_000, rating: 2_000, vehicle: 1_000, history: 1_000 },
        ratingPriorMean: 4.2,
        recentOffersWindow: 50
      }
    })
  })

  it("the alert phones are the wallet's admins on duty unless dispatch names its own", () => {
    expect(policyWith({ WALLET_ALERT_PHONES: "+2250701020304" }).alertPhones).toStrictEqual(["+2250701020304"])
    expect(policyWith({ WALLET_ALERT_PHONES: "+2250701020304", DISPATCH_ALERT_PHONES: "+2250102030405" }).alertPhones).toStrictEqual(["+2250102030405"])
    expect(policyWith({}).alertPhones).toStrictEqual([])
  })

  it("weights that do not sum to 10,000 stop start-up naming the variable, in the domain's words", () => {
    expect(refusalOf({ MATCHING_WEIGHTS_BP: "3000,2500,2000,1500,999" })).toMatch(/totaliser 10 000 points de base.*pas 9999.*MATCHING_WEIGHTS_BP/u)
    expect(refusalOf({ MATCHING_WEIGHTS_BP: "3000,2500,2000,1500" })).toMatch(/^MATCHING_WEIGHTS_BP: expected five comma-separated basis points/u)
    expect(refusalOf({ MATCHING_WEIGHTS_BP: "3000,2500,abc,1500,1000" })).toBe("MATCHING_WEIGHTS_BP: expected a whole number in digits")
  })

  it("radii must be 1 to 5 growing distances from 100 m to 50 km", () => {
    expect(refusalOf({ DISPATCH_RADII_M: "3000,3000" })).toBe("DISPATCH_RADII_M: expected growing radii, each farther than the one before (3000,5000,8000)")
    expect(refusalOf({ DISPATCH_RADII_M: "5000,3000" })).toMatch(/^DISPATCH_RADII_M: expected growing radii/u)
    expect(refusalOf({ DISPATCH_RADII_M: "3000,60000" })).toBe("DISPATCH_RADII_M: expected a value between 100 and 50000")
    expect(refusalOf({ DISPATCH_RADII_M: "1000,2000,3000,4000,5000,6000" })).toMatch(/^DISPATCH_RADII_M: expected 1 to 5 comma-separated radii/u)
    expect(refusalOf({ DISPATCH_RADII_M: "3km" })).toBe("DISPATCH_RADII_M: expected a whole number in digits")
  })

  it("an unknown failure reason, a fixed line among the phones or a number out of bounds is refused, named", () => {
    expect(refusalOf({ DISPATCH_REFUNDED_FAILURES: "unsafe,lost" })).toMatch(/^DISPATCH_REFUNDED_FAILURES: expected "customer_absent" \| /u)
    expect(refusalOf({ DISPATCH_ALERT_PHONES: "+2252701020304" })).toMatch(/^DISPATCH_ALERT_PHONES: expected an Ivorian mobile/u)
    expect(refusalOf({ DISPATCH_ALERT_PHONES: "", WALLET_ALERT_PHONES: "0701020304" })).toMatch(/^WALLET_ALERT_PHONES: expected /u)
    expect(refusalOf({ DISPATCH_OFFERS_PER_BATCH: "11" })).toBe("DISPATCH_OFFERS_PER_BATCH: expected a value between 1 and 10")
    expect(refusalOf({ DISPATCH_OFFER_TIMEOUT_MS: "1000" })).toBe("DISPATCH_OFFER_TIMEOUT_MS: expected a value between 5000 and 300000")
    expect(refusalOf({ DISPATCH_GIVE_UP_AFTER_MS: "soon" })).toMatch(/^DISPATCH_GIVE_UP_AFTER_MS: expected /u)
    expect(refusalOf({ DISPATCH_ROAD_FACTOR: "0.8" })).toBe("DISPATCH_ROAD_FACTOR: expected a value between 1 and 3")
    expect(refusalOf({ EARNINGS_DRIVER_COMMISSION_BP: "10001" })).toBe("EARNINGS_DRIVER_COMMISSION_BP: expected a value between 0 and 10000")
    expect(refusalOf({ MATCHING_HISTORY_WITHOUT_OFFERS: "1.5" })).toBe("MATCHING_HISTORY_WITHOUT_OFFERS: expected a value between 0 and 1")
  })
})
