import { Schema } from "effect"
import { Xof, xof } from "../shared/Xof.ts"

const NonNegativeXof = Xof.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(100_000)))

export const DeliveryFeeBand = Schema.Struct({
  /** The band covers distances up to this, inclusive, from the previous band's end. */
  upToM: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 100_000 }))),
  feeXof: NonNegativeXof
})
export type DeliveryFeeBand = typeof DeliveryFeeBand.Type

/** Bands go outwards: each ends farther than the one before. */
export const bandsAscending = (bands: ReadonlyArray<{ readonly upToM: number }>) =>
  bands.every((band, index) => index === 0 || band.upToM > bands[index - 1]!.upToM) || "les tranches doivent aller en distance croissante"

/**
 * What delivery costs, by the distance from the provider to the address (straight line, meters):
 * the first band that covers it, and past the last band its fee plus `beyondPerKmXof` for each
 * started kilometre beyond it. Admins edit it; it is stored, and an order keeps the fee it was quoted.
 */
export const DeliveryFeeSchedule = Schema.Struct({
  bands: Schema.Array(DeliveryFeeBand).pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(20), Schema.makeFilter(bandsAscending))),
  beyondPerKmXof: NonNegativeXof
})
export type DeliveryFeeSchedule = typeof DeliveryFeeSchedule.Type

/** The plan's example for Tiassalé: 0-2 km 500 F, 2-5 km 800 F, then 200 F per started km. */
export const defaultDeliveryFeeSchedule: DeliveryFeeSchedule = {
  bands: [{ upToM: 2_000, feeXof: xof(500) }, { upToM: 5_000, feeXof: xof(800) }],
  beyondPerKmXof: xof(200)
}

export const deliveryFeeFor = (schedule: DeliveryFeeSchedule, distanceM: number): Xof => {
  for (const band of schedule.bands) if (distanceM <= band.upToM) return band.feeXof
  const last = schedule.bands[schedule.bands.length - 1]!
  return xof(last.feeXof + Math.ceil((distanceM - last.upToM) / 1_000) * schedule.beyondPerKmXof)
}
