import { Schema } from "effect"
import type { PaymentMethod } from "../orders/Order.ts"
import type { Xof } from "../shared/Xof.ts"
import type { KycStatus } from "../users/Kyc.ts"
import type { DeliveryLoad } from "./DeliveryLoad.ts"
import type { DriverPolicyNumbers } from "./DriverPolicy.ts"
import type { Vehicle } from "./Vehicle.ts"
import { vehicleFitness } from "./vehicleFitness.ts"

/** Why a driver near the pickup is not offered an order, in the order they are checked. */
export const IneligibilityReason = Schema.Literals([
  "offline",
  "location_stale",
  "on_delivery",
  "kyc_not_approved",
  "vehicle_unfit",
  "cash_cap_exceeded"
])
export type IneligibilityReason = typeof IneligibilityReason.Type

export const Eligibility = Schema.Union([
  Schema.TaggedStruct("Eligible", {}),
  Schema.TaggedStruct("Ineligible", { reason: IneligibilityReason })
])
export type Eligibility = typeof Eligibility.Type

/** What eligibility reads of a driver. */
export interface DriverFacts {
  readonly online: boolean
  /** When his last position was received (server time); null: none ever. */
  readonly locationAtMs: number | null
  readonly hasActiveDelivery: boolean
  readonly kycStatus: KycStatus
  readonly vehicle: Vehicle
  /** Cash collected at doors and not yet handed in. */
  readonly cashInHandXof: Xof
}

/** What eligibility reads of the order to deliver. */
export interface OrderFacts {
  readonly load: DeliveryLoad
  readonly paymentMethod: PaymentMethod
  /** What the customer pays; for cash, what the driver collects at the door. */
  readonly totalXof: Xof
}

const eligible: Eligibility = { _tag: "Eligible" }
const ineligible = (reason: IneligibilityReason): Eligibility => ({ _tag: "Ineligible", reason })

/**
 * Whether a driver may be offered an order, or the first reason he may not, checked in this order:
 * online; a position no older than `freshLocationMs` (one exactly that old still counts, as for
 * going online in `Drivers`; one stamped after `nowMs`, clocks apart, is fresh); no delivery under
 * way; KYC approved; a vehicle able to carry the load; for a cash order, the cash he holds plus the
 * order's total within the cap (he carries it through town, and the platform is owed it until he
 * hands it in). The policy may be `MatchingSettings` or the drivers' `DriverPolicyNumbers`: both
 * name these two numbers alike.
 */
export const eligibility = (driver: DriverFacts, order: OrderFacts, policy: Pick<DriverPolicyNumbers, "freshLocationMs" | "cashInHandCapXof">, nowMs: number): Eligibility => {
  if (!driver.online) return ineligible("offline")
  if (driver.locationAtMs === null || !(nowMs - driver.locationAtMs <= policy.freshLocationMs)) return ineligible("location_stale")
  if (driver.hasActiveDelivery) return ineligible("on_delivery")
  if (driver.kycStatus !== "approved") return ineligible("kyc_not_approved")
  if (!(vehicleFitness(driver.vehicle, order.load) > 0)) return ineligible("vehicle_unfit")
  if (order.paymentMethod === "cash" && driver.cashInHandXof + order.totalXof > policy.cashInHandCapXof) return ineligible("cash_cap_exceeded")
  return eligible
}
