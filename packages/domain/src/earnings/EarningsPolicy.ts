import { Context, Layer } from "effect"
import { type BasisPoints, basisPoints } from "../shared/Xof.ts"

/**
 * The platform's commissions when no override applies (CommissionRateRepository holds those, per
 * provider and per driver, each from its effective date). Deployments set them from config
 * (EARNINGS_* variables).
 */
export interface EarningsPolicyNumbers {
  /** On the items' subtotal: 1,500 = 15 %. */
  readonly providerCommissionBasisPoints: BasisPoints
  /** On the delivery fee: 1,000 = 10 %. */
  readonly driverCommissionBasisPoints: BasisPoints
}

export const defaultEarningsPolicy: EarningsPolicyNumbers = {
  providerCommissionBasisPoints: basisPoints(1_500),
  driverCommissionBasisPoints: basisPoints(1_000)
}

export class EarningsPolicy extends Context.Service<EarningsPolicy, EarningsPolicyNumbers>()("nelo/earnings/EarningsPolicy") {
  /** The defaults, for tests and development; the apps read theirs from config. */
  static readonly defaults = Layer.succeed(EarningsPolicy, defaultEarningsPolicy)
}
