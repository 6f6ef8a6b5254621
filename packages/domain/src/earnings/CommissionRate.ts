import { Schema } from "effect"
import { BasisPoints } from "../shared/Xof.ts"

/** Who a commission is taken from: a provider (on its items) or a driver (on the delivery fee). */
export const RatePartyKind = Schema.Literals(["provider", "driver"])
export type RatePartyKind = typeof RatePartyKind.Type

export const RateParty = Schema.Struct({
  kind: RatePartyKind,
  /** The provider's id, or the driver's user id. */
  id: Schema.String
})
export type RateParty = typeof RateParty.Type

/**
 * An override of the default commission for one party, in force from `effectiveFrom` until the next
 * one's: an order is priced at the rate in force when it was placed, so a change never re-prices
 * orders already placed. Never edited: a new override follows.
 */
export const CommissionRate = Schema.Struct({
  party: RateParty,
  basisPoints: BasisPoints,
  effectiveFrom: Schema.Date,
  /** The admin's user id. */
  setBy: Schema.String,
  createdAt: Schema.Date
})
export type CommissionRate = typeof CommissionRate.Type
