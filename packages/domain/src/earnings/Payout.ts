import type { Gateway } from "../wallet/Account.ts"
import type { Xof } from "../shared/Xof.ts"

/** Who earnings are paid to: a provider (its earnings account's owner) or a driver (a user). */
export type PayeeKind = "provider" | "driver"

export interface Payee {
  readonly kind: PayeeKind
  readonly id: string
}

/**
 * pending: recorded (its money moved from earnings to payouts in flight), not yet sent. sending: a
 * gateway was chosen and asked; its answer is not known (a crash, a timeout): asked again with the
 * same id, the gateway pays once. processing: the gateway accepted it, not final yet. succeeded: the
 * payee has it. failed, reversed: it did not reach them, or came back: the money went back to their
 * earnings. exported: listed in a manual batch for a person to pay by hand. paid: marked paid by an
 * admin after paying it by hand.
 */
export type PayoutStatus = "pending" | "sending" | "processing" | "succeeded" | "failed" | "reversed" | "exported" | "paid"

/** Statuses a payout leaves: its money is in flight. */
export const openPayoutStatuses: ReadonlyArray<PayoutStatus> = ["pending", "sending", "processing", "exported"]

export const isOpenPayout = (status: PayoutStatus) => openPayoutStatuses.includes(status)

/** gateway: sent by the worker through Wave (or CinetPay when Wave is down). manual: exported, paid by hand. */
export type PayoutMethod = "gateway" | "manual"

export interface Payout {
  readonly id: string
  readonly runId: string
  readonly payee: Payee
  readonly amountXof: Xof
  /** The number paid (the payee's confirmed payout number when it was made) and the name shown. */
  readonly mobile: string
  readonly holderName: string
  readonly method: PayoutMethod
  /** The gateway it was sent through, once chosen; a payout is bound to it from then on (never paid through two). */
  readonly gateway: Gateway | null
  readonly status: PayoutStatus
  readonly gatewayReference: string | null
  /** Why it failed, as the gateway or the admin said; the reference of a manual payment. */
  readonly detail: string | null
  /** How many times the gateway was asked about it (sends and reads): the worker's back-off. */
  readonly attempts: number
  /** For a manual batch: the settled orders in the period it pays. */
  readonly orderCount: number
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** One run of payouts: the worker's (gateway), or one manual export of a period (its batch). */
export interface PayoutRun {
  readonly id: string
  readonly method: PayoutMethod
  /** A manual batch's period, Abidjan dates (YYYY-MM-DD), both days included. */
  readonly periodFrom: string | null
  readonly periodTo: string | null
  /** Who started it: an admin's id, or the schedule's name. */
  readonly startedBy: string
  readonly createdAt: Date
}
