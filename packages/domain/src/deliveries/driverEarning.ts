/**
 * What a driver earns for a delivery: its fee less the platform's commission, floored on the
 * commission (the remainder to the driver), so that commission + earning is the fee exactly.
 */
export const driverEarningOf = (deliveryFeeXof: number, commissionBasisPoints: number): number =>
  deliveryFeeXof - Math.floor((deliveryFeeXof * commissionBasisPoints) / 10_000)
