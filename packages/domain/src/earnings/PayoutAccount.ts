import type { Phone } from "../shared/Phone.ts"
import type { Payee } from "./Payout.ts"

/**
 * Where a payee's earnings are paid: a mobile-money number confirmed by a code sent to it. A number
 * waiting for its code is pending; it replaces the confirmed one only once confirmed. A change of a
 * confirmed number holds payouts for a while (`payoutsHeldUntil`): whoever took over a phone or an
 * account cannot have the next payout sent to their own number before the owner notices.
 */
export interface PayoutAccount {
  readonly payee: Payee
  /** The name the gateway shows the payee (the provider's, or the driver's full name). */
  readonly holderName: string
  readonly mobile: Phone | null
  readonly confirmedAt: Date | null
  readonly payoutsHeldUntil: Date | null
  readonly pendingMobile: Phone | null
  readonly pendingSince: Date | null
}

/** A logged change of payout number: who changed it, from what to what, and when. */
export interface PayoutAccountChange {
  readonly payee: Payee
  readonly previousMobile: Phone | null
  readonly mobile: Phone
  readonly changedBy: string
  readonly at: Date
}

/** Whether payouts may be sent to this account now: a confirmed number, no hold running. */
export const canBePaid = (account: PayoutAccount, now: Date) =>
  account.mobile !== null && (account.payoutsHeldUntil === null || account.payoutsHeldUntil.getTime() <= now.getTime())
