import { Schema } from "effect"

/**
 * The ledger's accounts. Every franc NELO touches sits in exactly one of them, and all balances
 * together always sum to zero (double entry). The sign convention: a posting's amount is added to
 * its account's balance. So a customer wallet holding 5,000 F has +5,000, and the Wave clearing
 * account that received that money from Wave has −5,000 (what Wave owes us, seen from the ledger).
 *
 * - customer_wallet: a person's in-app money; never below zero.
 * - provider_earnings, driver_earnings: what NELO owes a provider or driver until paid out. May go
 *   below zero (a refund charged after settlement): recovered from later earnings, never paid out.
 * - driver_cash_in_hand: cash a driver collected on delivery and still holds for NELO (negative: owed to NELO).
 * - platform_revenue: commissions and fees NELO has earned.
 * - gateway_clearing: one per gateway (wave, cinetpay): money in transit through it.
 * - orders_escrow: one per provider: what customers paid for its orders in progress, held until the
 *   order is delivered (settled to earnings) or cancelled (refunded); never below zero.
 * - payouts_in_flight: NELO's one account for earnings on their way to a payee (a payout sent to a
 *   gateway and not yet confirmed, or exported for a person to pay by hand): confirmed, it moves to
 *   the gateway's clearing; failed, back to the payee's earnings.
 * - office_cash: the cash drivers handed in at NELO's office, until it is banked (negative: cash
 *   NELO holds in its drawer, as a clearing account's balance is money held through a gateway).
 */
export const AccountKind = Schema.Literals([
  "customer_wallet",
  "provider_earnings",
  "driver_earnings",
  "driver_cash_in_hand",
  "platform_revenue",
  "gateway_clearing",
  "orders_escrow",
  "payouts_in_flight",
  "office_cash"
])
export type AccountKind = typeof AccountKind.Type

/** The kinds of account that belong to someone (a user, a provider): one of each per owner. */
export type OwnedAccountKind = Extract<AccountKind, "customer_wallet" | "orders_escrow" | "driver_cash_in_hand" | "provider_earnings" | "driver_earnings">

export const Gateway = Schema.Literals(["wave", "cinetpay"])
export type Gateway = typeof Gateway.Type

export interface Account {
  readonly id: string
  readonly kind: AccountKind
  /** The user (customer, driver) or provider it belongs to (escrow: the provider); null for NELO's own accounts. */
  readonly ownerId: string | null
  /** For gateway_clearing only. */
  readonly gateway: Gateway | null
}

/**
 * Accounts that hold money people paid in: the ledger refuses any transaction taking them below
 * zero. Earnings are not among them: a refund after settlement may take them below zero (the
 * payout pays no negative balance).
 */
export const mustStayNonNegative = (kind: AccountKind): boolean => kind === "customer_wallet" || kind === "orders_escrow"

/** A wallet is active, or frozen by an admin or a suspicion rule: frozen, it can neither send nor receive. */
export const WalletStatus = Schema.Literals(["active", "frozen"])
export type WalletStatus = typeof WalletStatus.Type

/** Why and when an account was frozen, and by whom (an admin's id, or the rule's name). */
export interface Freeze {
  readonly reason: string
  readonly causedBy: { readonly kind: "admin" | "system"; readonly id: string }
  readonly at: Date
}
