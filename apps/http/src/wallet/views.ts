import { Schema } from "effect"
import type { PaymentIntent } from "@nelo/domain/payments/PaymentIntent"
import { Gateway, WalletStatus } from "@nelo/domain/wallet/Account"
import { maskPhone, shortName } from "@nelo/domain/wallet/counterparty"
import type { LedgerTransaction } from "@nelo/domain/wallet/LedgerTransaction"
import { TransactionType } from "@nelo/domain/wallet/LedgerTransaction"
import type { HistoryItem } from "@nelo/domain/wallet/walletHistory"
import type { User } from "@nelo/domain/users/User"
import { Francs, Id, Instant, Text } from "../shared/bounded.ts"


const AllowanceView = Schema.Struct({ limitXof: Francs, usedXof: Francs, remainingXof: Francs })

const CounterpartyView = Schema.Struct({ name: Text(200), phone: Text(32) })

export const WalletView = Schema.Struct({
  balanceXof: Francs,
  currency: Schema.Literal("XOF"),
  status: WalletStatus,
  frozenReason: Schema.NullOr(Text(500)),
  kycLevel: Schema.Literals(["none", "approved"]),
  daily: AllowanceView,
  monthly: AllowanceView
})

export const WalletTransactionView = Schema.Struct({
  id: Id,
  type: TransactionType,
  /** Positive in, negative out. */
  amountXof: Francs,
  status: Schema.Literals(["completed", "reversed", "pending", "failed", "expired", "mismatch"]),
  counterparty: Schema.NullOr(CounterpartyView),
  reference: Schema.NullOr(Text(200)),
  note: Schema.NullOr(Text(500)),
  at: Instant
})

export const WalletTransactionsPage = Schema.Struct({
  items: Schema.Array(WalletTransactionView).pipe(Schema.check(Schema.isMaxLength(50))),
  nextCursor: Schema.NullOr(Id)
})

export const TopupView = Schema.Struct({
  id: Id,
  status: Schema.Literals(["pending", "succeeded", "failed", "expired", "mismatch"]),
  /** The gateway that opened the checkout: may be the other one when the one asked for was down. */
  method: Gateway,
  amountXof: Francs,
  currency: Schema.Literal("XOF"),
  paymentUrl: Schema.NullOr(Text(2000))
})

export const TransferView = Schema.Struct({
  id: Id,
  amountXof: Francs,
  receiver: CounterpartyView,
  note: Schema.NullOr(Text(500)),
  at: Instant
})

export const walletTransactionView = (item: HistoryItem): typeof WalletTransactionView.Type => ({ ...item, at: item.at.toISOString() })

export const topupView = (intent: PaymentIntent): typeof TopupView.Type => ({
  id: intent.id,
  status: intent.status,
  method: intent.gateway,
  amountXof: intent.amountXof,
  currency: intent.currency,
  // Only while it can still be paid: a closed one's page must not be opened again.
  paymentUrl: intent.status === "pending" ? intent.paymentUrl : null
})

/** What the sender sees of a transfer: the amount sent, and the receiver masked. */
export const transferView = (transaction: LedgerTransaction, receiver: Pick<User, "fullName" | "phone">): typeof TransferView.Type => ({
  id: transaction.id,
  amountXof: -(transaction.postings.find((posting) => posting.amountXof < 0)?.amountXof ?? 0),
  receiver: { name: shortName(receiver.fullName), phone: maskPhone(receiver.phone) },
  note: transaction.note,
  at: transaction.createdAt.toISOString()
})
