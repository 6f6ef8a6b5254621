import { Context, type Effect } from "effect"
import type { GatewayRefused, GatewayUnavailable } from "../payments/PaymentGateway.ts"
import type { Gateway } from "../wallet/Account.ts"
import type { Xof } from "../shared/Xof.ts"

/** Money sent from NELO's business account to a payee's mobile-money number. */
export interface PayoutRequest {
  /**
   * Our payout's id: the idempotency key (Wave) or client transaction id (CinetPay), and the client
   * reference. Sent again with the same id after a lost answer or a crash, the gateway pays once.
   */
  readonly payoutId: string
  readonly amountXof: Xof
  /** E.164 (+225...): the payee's confirmed payout number. */
  readonly mobile: string
  /** The payee's name as the gateway shows it to them. */
  readonly name: string
  /** What the payee reads on the transfer (Wave's payment_reason). */
  readonly reason: string
}

/**
 * processing: accepted, not final. succeeded: the payee has it. failed: it did not leave (or came
 * back before reaching them): the money is ours to give back to earnings. reversed: it was paid, then
 * taken back (Wave's reverse): also back to earnings. unknown: the gateway has no payout under this
 * id (the send never reached it): safe to send again with the same id.
 */
export type PayoutState = "processing" | "succeeded" | "failed" | "reversed" | "unknown"

export interface PayoutStatus {
  readonly state: PayoutState
  /** The gateway's id of the payout (Wave's "pt-..."), once it has one. */
  readonly gatewayReference: string | null
  /** The gateway's reason for a failure, for the record and the admins. */
  readonly detail: string | null
}

/** One gateway's payouts API. */
export interface PayoutClient {
  readonly gateway: Gateway
  /**
   * Sends the payout (idempotent on payoutId: a second send of the same id is the same payout, never a
   * second one) and says where it stands now. GatewayRefused: refused outright (a number the gateway
   * cannot pay, the business balance short): nothing left.
   */
  readonly send: (request: PayoutRequest) => Effect.Effect<PayoutStatus, GatewayUnavailable | GatewayRefused>
  /** Where a payout sent before stands, read from the gateway (by our id, and its reference when known). */
  readonly statusOf: (payout: { readonly payoutId: string; readonly gatewayReference: string | null }) => Effect.Effect<PayoutStatus, GatewayUnavailable | GatewayRefused>
}

/**
 * The payout gateways this deployment can use: Wave first, CinetPay's transfers when Wave cannot be
 * reached. Absent without credentials; with neither, payouts are made by hand from an export.
 */
export class PayoutGateways extends Context.Service<PayoutGateways, {
  readonly wave: PayoutClient | undefined
  readonly cinetpay: PayoutClient | undefined
}>()("nelo/earnings/PayoutGateways") {}
