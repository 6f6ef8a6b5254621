import { Config, Effect, Layer } from "effect"
import { defaultEarningsPolicy, EarningsPolicy } from "@nelo/domain/earnings/EarningsPolicy"
import { BasisPoints } from "@nelo/domain/shared/Xof"

/**
 * The default commissions, each overridable from env (EARNINGS_*_COMMISSION_BP, basis points from 0
 * to 10,000); the domain's defaults otherwise. A malformed or out-of-range value stops start-up
 * naming its variable.
 */
export const EarningsPolicyFromConfig = Layer.effect(EarningsPolicy, Effect.gen(function*() {
  const rate = (name: string, fallback: BasisPoints) => Config.schema(BasisPoints, name).pipe(Config.withDefault(fallback))
  return yield* Config.all({
    providerCommissionBasisPoints: rate("EARNINGS_PROVIDER_COMMISSION_BP", defaultEarningsPolicy.providerCommissionBasisPoints),
    driverCommissionBasisPoints: rate("EARNINGS_DRIVER_COMMISSION_BP", defaultEarningsPolicy.driverCommissionBasisPoints)
  })
}))
