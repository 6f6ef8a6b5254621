import { Context, type Effect, type Option } from "effect"
import type { Gateway } from "../wallet/Account.ts"
import type { LedgerUnavailable } from "../wallet/errors.ts"
import type { PaymentIntent, PaymentIntentStatus } from "./PaymentIntent.ts"

/** A webhook as received, kept whatever became of it: the gateway's event id is unique per gateway. */
export interface StoredWebhookEvent {
  readonly gateway: Gateway
  readonly eventId: string
  readonly type: string
  readonly intentId: string | null
  readonly payload: unknown
  readonly receivedAt: Date
}

/** Payment intents (top-ups) and the webhook events of the gateways. */
export class PaymentIntentRepository extends Context.Service<PaymentIntentRepository, {
  /**
   * Inserts the intent, or returns the one this user already created under the same idempotency key
   * (`created` false), whatever its content: the caller compares.
   */
  readonly create: (intent: PaymentIntent) => Effect.Effect<{ readonly intent: PaymentIntent; readonly created: boolean }, LedgerUnavailable>
  readonly find: (id: string) => Effect.Effect<Option.Option<PaymentIntent>, LedgerUnavailable>
  /** The intent paying an order (one per order), if any. */
  readonly findByOrder: (orderId: string) => Effect.Effect<Option.Option<PaymentIntent>, LedgerUnavailable>
  /**
   * Records the checkout opened at the gateway (the gateway used may differ after a fallback), only
   * if the intent has none yet: of two requests racing to open one (a retry while the first was
   * still waiting on a slow gateway), the first to attach wins. Answers the intent as stored after:
   * the loser gets the winner's checkout, the one the person will pay.
   */
  readonly attachCheckout: (id: string, checkout: { readonly gateway: Gateway; readonly gatewayReference: string; readonly paymentUrl: string }, at: Date) => Effect.Effect<Option.Option<PaymentIntent>, LedgerUnavailable>
  /**
   * Moves an intent that is in one of the `from` statuses (usually just pending) to a final status;
   * false (and nothing changes) when it is in none of them, so that two confirmations racing settle
   * it once. A payment confirmed late moves an expired or failed intent to succeeded.
   */
  readonly settle: (
    id: string,
    from: ReadonlyArray<PaymentIntentStatus>,
    outcome: { readonly status: Exclude<PaymentIntentStatus, "pending">; readonly ledgerTransactionId: string | null; readonly failureReason: string | null },
    at: Date
  ) => Effect.Effect<boolean, LedgerUnavailable>
  /**
   * Pending intents created before `createdBefore` and not re-checked since `checkedBefore`, the least
   * recently checked first (never checked before all): a batch never starves the others, however
   * many top-ups wait unpaid.
   */
  readonly pendingBefore: (createdBefore: Date, checkedBefore: Date, limit: number) => Effect.Effect<ReadonlyArray<PaymentIntent>, LedgerUnavailable>
  /**
   * Intents expired here although a checkout was opened, created after `createdAfter` and not
   * re-checked since `checkedBefore`, least recently checked first: a payment made after we gave
   * up, whose webhook was lost, is still found and credited.
   */
  readonly expiredWithCheckout: (createdAfter: Date, checkedBefore: Date, limit: number) => Effect.Effect<ReadonlyArray<PaymentIntent>, LedgerUnavailable>
  /** Records that the gateway was just asked about this intent (by the re-check). */
  readonly markChecked: (id: string, at: Date) => Effect.Effect<void, LedgerUnavailable>
  /** A user's top-ups not (yet) credited, newest first, older than `beforeId` (for the wallet history; orders' payments are not the wallet's). */
  readonly unsettledOf: (userId: string, beforeId: string | null, limit: number) => Effect.Effect<ReadonlyArray<PaymentIntent>, LedgerUnavailable>
  /** Stores a verified webhook; false when this gateway already sent this event id (a replay). */
  readonly recordWebhook: (event: StoredWebhookEvent) => Effect.Effect<boolean, LedgerUnavailable>
  /** Marks a stored webhook processed (its confirmation done, whatever the outcome). */
  readonly markWebhookProcessed: (gateway: Gateway, eventId: string, at: Date) => Effect.Effect<void, LedgerUnavailable>
  /** Stored webhooks not yet processed, received before `receivedBefore` (a crash between store and confirm). */
  readonly unprocessedWebhooks: (receivedBefore: Date, limit: number) => Effect.Effect<ReadonlyArray<StoredWebhookEvent>, LedgerUnavailable>
}>()("nelo/payments/PaymentIntentRepository") {}
