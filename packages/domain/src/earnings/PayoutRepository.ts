import { Context, type Effect, type Option } from "effect"
import type { Gateway } from "../wallet/Account.ts"
import type { EarningsUnavailable, PayoutAlreadyOpen, PayoutBatchExists } from "./errors.ts"
import type { Payee, Payout, PayoutRun, PayoutStatus } from "./Payout.ts"

/** What a step changes on a payout. */
export interface PayoutChange {
  /** Unchanged when absent. */
  readonly status?: PayoutStatus
  readonly gateway?: Gateway
  readonly gatewayReference?: string | null
  readonly detail?: string | null
  readonly attempts?: number
  readonly updatedAt: Date
}

/** The payouts and their runs. */
export class PayoutRepository extends Context.Service<PayoutRepository, {
  /** Records a run. PayoutBatchExists: a manual batch of the same period is there already (one per period). */
  readonly createRun: (run: PayoutRun) => Effect.Effect<void, PayoutBatchExists | EarningsUnavailable>
  readonly findRun: (id: string) => Effect.Effect<Option.Option<PayoutRun>, EarningsUnavailable>
  /** The manual batch of a period, if one was exported. */
  readonly findManualRun: (periodFrom: string, periodTo: string) => Effect.Effect<Option.Option<PayoutRun>, EarningsUnavailable>
  /** Records a payout. PayoutAlreadyOpen: the payee has one still open (one at a time, whatever runs race). */
  readonly create: (payout: Payout) => Effect.Effect<void, PayoutAlreadyOpen | EarningsUnavailable>
  readonly findById: (id: string) => Effect.Effect<Option.Option<Payout>, EarningsUnavailable>
  /** The payout under its row lock, until the end of the transaction (Transactional). */
  readonly lock: (id: string) => Effect.Effect<Option.Option<Payout>, EarningsUnavailable>
  readonly update: (id: string, change: PayoutChange) => Effect.Effect<void, EarningsUnavailable>
  /** A run's payouts, in the order they were made. */
  readonly ofRun: (runId: string) => Effect.Effect<ReadonlyArray<Payout>, EarningsUnavailable>
  /** Gateway payouts still to send or follow (pending, sending, processing) last changed before `before`, oldest first. */
  readonly unfinished: (before: Date, limit: number) => Effect.Effect<ReadonlyArray<Payout>, EarningsUnavailable>
  /** A payee's payouts, newest first. */
  readonly ofPayee: (payee: Payee, limit: number) => Effect.Effect<ReadonlyArray<Payout>, EarningsUnavailable>
}>()("nelo/earnings/PayoutRepository") {}
