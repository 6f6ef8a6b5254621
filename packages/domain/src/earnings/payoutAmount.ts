import { type Xof, xof } from "../shared/Xof.ts"

/**
 * Gateway payouts are whole multiples of this: CinetPay's transfers take nothing else, and a payout
 * may go through CinetPay when Wave is down, which is only known once it is sent. The few francs
 * left stay in the payee's earnings for the next payout.
 */
export const gatewayAmountStepXof = 5

/**
 * What a run pays a payee out of their earnings, and what it first sets against the cash a driver
 * holds for NELO (netting on): netted + paid never exceeds the earnings, paid is a multiple of
 * `stepXof`, and nothing is paid under the minimum (the earnings wait for the next run). A balance at
 * or below zero pays and nets nothing.
 */
export const payoutAmount = (input: {
  readonly earningsXof: number
  readonly cashHeldXof: number
  readonly netCash: boolean
  readonly minimumXof: number
  readonly stepXof: number
}): { readonly nettedXof: Xof; readonly paidXof: Xof } => {
  if (input.earningsXof <= 0) return { nettedXof: xof(0), paidXof: xof(0) }
  const nettedXof = input.netCash ? Math.min(input.earningsXof, Math.max(0, input.cashHeldXof)) : 0
  const left = input.earningsXof - nettedXof
  const payable = left - (left % input.stepXof)
  return { nettedXof: xof(nettedXof), paidXof: xof(payable >= input.minimumXof && payable > 0 ? payable : 0) }
}
