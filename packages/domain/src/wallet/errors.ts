import { Schema } from "effect"
import { Xof } from "../shared/Xof.ts"

/** The ledger's store could not be reached or failed: nothing was written (its transaction rolled back). */
export class LedgerUnavailable extends Schema.TaggedError<LedgerUnavailable>()("LedgerUnavailable", {
  cause: Schema.Defect()
}) {}

/** A frozen wallet neither sends nor receives: `own` is the caller's wallet (sending, topping up), `receiver` the other one. */
export class WalletFrozen extends Schema.TaggedError<WalletFrozen>()("WalletFrozen", {
  side: Schema.Literals(["own", "receiver"])
}) {}

/** An outflow above the day's or the month's allowance for the wallet's KYC level. */
export class LimitExceeded extends Schema.TaggedError<LimitExceeded>()("LimitExceeded", {
  period: Schema.Literals(["day", "month"]),
  limitXof: Xof,
  remainingXof: Xof
}) {}

/** The same idempotency key was sent with a different request: refused, the first one stands. */
export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {}) {}

export class ReceiverNotFound extends Schema.TaggedError<ReceiverNotFound>()("ReceiverNotFound", {}) {}

export class SelfTransfer extends Schema.TaggedError<SelfTransfer>()("SelfTransfer", {}) {}

export class TransactionNotFound extends Schema.TaggedError<TransactionNotFound>()("TransactionNotFound", {}) {}

/** A reversal of a reversal: a wrong correction is itself corrected by a new transaction, not undone. */
export class ReversalRefused extends Schema.TaggedError<ReversalRefused>()("ReversalRefused", {
  reason: Schema.Literal("is_a_reversal")
}) {}

export class WalletAlreadyInState extends Schema.TaggedError<WalletAlreadyInState>()("WalletAlreadyInState", {
  status: Schema.Literals(["active", "frozen"])
}) {}

export class FreezeReasonRequired extends Schema.TaggedError<FreezeReasonRequired>()("FreezeReasonRequired", {}) {}

/** A transfer that would take the sender past the policy's new receivers within the hour. */
export class SuspiciousFanOut extends Schema.TaggedError<SuspiciousFanOut>()("SuspiciousFanOut", {
  newReceivers: Schema.Number
}) {}

/** A transfer amount that is not a whole number of francs above zero. */
export class TransferAmountInvalid extends Schema.TaggedError<TransferAmountInvalid>()("TransferAmountInvalid", {}) {}
