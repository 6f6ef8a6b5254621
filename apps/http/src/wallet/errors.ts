import { PaymentsUnavailable, TopupAmountInvalid } from "@nelo/domain/payments/errors"
import { paymentsMessages } from "@nelo/domain/payments/messages"
import {
  FreezeReasonRequired,
  IdempotencyKeyReused,
  LimitExceeded,
  ReceiverNotFound,
  SelfTransfer,
  TransferAmountInvalid,
  WalletAlreadyInState,
  WalletFrozen
} from "@nelo/domain/wallet/errors"
import { BalanceOutOfRange, InsufficientFunds } from "@nelo/domain/wallet/ledgerRules"
import { walletMessages } from "@nelo/domain/wallet/messages"
import { IntBetween } from "../shared/bounded.ts"
import { problem } from "../shared/problem.ts"
import { xof } from "@nelo/domain/shared/Xof"

// The wallet's and payments' errors as the API answers them: status, stable code, French message.

const Francs = IntBetween(0, Number.MAX_SAFE_INTEGER)

export const WalletFrozenProblem = problem(WalletFrozen, {
  status: 422,
  codes: ["wallet_frozen"],
  /** own: the caller's wallet; receiver: the other one. */
  members: { side: WalletFrozen.fields.side },
  message: walletMessages.WalletFrozen
})

export const LimitExceededProblem = problem(LimitExceeded, {
  status: 422,
  codes: ["limit_exceeded"],
  members: { period: LimitExceeded.fields.period, limitXof: Francs, remainingXof: Francs },
  message: walletMessages.LimitExceeded
})

export const IdempotencyKeyReusedProblem = problem(IdempotencyKeyReused, { status: 409, codes: ["idempotency_key_reused"], message: walletMessages.IdempotencyKeyReused })

export const ReceiverNotFoundProblem = problem(ReceiverNotFound, { status: 422, codes: ["receiver_not_found"], message: walletMessages.ReceiverNotFound })

export const TransferAmountInvalidProblem = problem(TransferAmountInvalid, { status: 422, codes: ["transfer_amount_invalid"], message: walletMessages.TransferAmountInvalid })

export const SelfTransferProblem = problem(SelfTransfer, { status: 422, codes: ["self_transfer"], message: walletMessages.SelfTransfer })

export const InsufficientFundsProblem = problem(InsufficientFunds, {
  status: 422,
  codes: ["insufficient_funds"],
  members: { balanceXof: Francs, missingXof: Francs },
  message: walletMessages.InsufficientFunds,
  fromBody: (body) => new InsufficientFunds({ accountId: "", balanceXof: xof(body.balanceXof), missingXof: xof(body.missingXof) })
})

export const BalanceOutOfRangeProblem = problem(BalanceOutOfRange, {
  status: 422,
  codes: ["balance_out_of_range"],
  message: walletMessages.BalanceOutOfRange,
  fromBody: () => new BalanceOutOfRange({ accountId: "" })
})

export const WalletAlreadyInStateProblem = problem(WalletAlreadyInState, {
  status: 409,
  codes: ["wallet_already_frozen", "wallet_already_active"],
  code: (error) => error.status === "frozen" ? "wallet_already_frozen" : "wallet_already_active",
  message: walletMessages.WalletAlreadyInState,
  fromBody: (body) => new WalletAlreadyInState({ status: body.code === "wallet_already_frozen" ? "frozen" : "active" })
})

export const FreezeReasonRequiredProblem = problem(FreezeReasonRequired, { status: 422, codes: ["reason_required"], message: walletMessages.FreezeReasonRequired })

export const TopupAmountInvalidProblem = problem(TopupAmountInvalid, {
  status: 422,
  codes: ["topup_amount_invalid"],
  members: { minimumXof: Francs, maximumXof: Francs },
  message: paymentsMessages.TopupAmountInvalid
})

export const PaymentsUnavailableProblem = problem(PaymentsUnavailable, { status: 503, codes: ["payments_unavailable"], message: paymentsMessages.PaymentsUnavailable })
