import { Context, Effect, Layer } from "effect"
import { makeAuditLedger } from "./auditLedger.ts"
import { makeFreezes } from "./freezes.ts"
import { makeReverseTransaction } from "./reverseTransaction.ts"
import { makeTransferMoney } from "./transferMoney.ts"
import { makeWalletHistory } from "./walletHistory.ts"
import { makeWalletOverview } from "./walletOverview.ts"

/**
 * The wallet's use cases, built once with their ports (the ledger, users, KYC, the PIN check, the
 * policy): what the apps call. Each one is in the file named after it.
 */
export class Wallet extends Context.Service<Wallet>()("nelo/wallet/Wallet", {
  make: Effect.gen(function*() {
    const { freeze, unfreeze } = yield* makeFreezes
    return {
      overview: yield* makeWalletOverview,
      history: yield* makeWalletHistory,
      transfer: yield* makeTransferMoney,
      freeze,
      unfreeze,
      reverse: yield* makeReverseTransaction,
      audit: yield* makeAuditLedger
    }
  })
}) {
  static readonly layer = Layer.effect(Wallet, Wallet.make)
}
