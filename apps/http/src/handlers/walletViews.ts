import type { PaymentIntent } from "@nelo/domain/payments/PaymentIntent"
import type { HistoryItem } from "@nelo/domain/wallet/walletHistory"
import type { WalletTransactionView, TopupView } from "../api/WalletApi.ts"

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
