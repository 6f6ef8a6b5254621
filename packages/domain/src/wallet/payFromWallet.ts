import { Clock, Effect } from "effect"
import { IdGenerator } from "../shared/IdGenerator.ts"
import type { Xof } from "../shared/Xof.ts"
import { xof } from "../shared/Xof.ts"
import { KycRepository } from "../users/KycRepository.ts"
import type { UserId } from "../users/User.ts"
import type { Account } from "./Account.ts"
import { periodStarts } from "./calendarPeriods.ts"
import { WalletFrozen } from "./errors.ts"
import { kycLevelOf } from "./kycLevel.ts"
import { Ledger } from "./Ledger.ts"
import type { LedgerTransaction } from "./LedgerTransaction.ts"
import { checkOutflow, outflowFrom, outflowInstants } from "./outflowLimits.ts"
import { WalletPolicy } from "./WalletPolicy.ts"

export interface WalletPayment {
  readonly payerId: UserId
  /** Where the money goes: an order's escrow. */
  readonly to: Account
  readonly amountXof: Xof
  /** One payment per key, whatever the retries (an order's id). */
  readonly idempotencyKey: string
  readonly reference: string | null
  readonly note: string | null
}

/**
 * Pays from a customer's wallet to one of NELO's accounts (an order's escrow): a payment, counted
 * in the wallet's daily and monthly allowance. Under the ledger's locks, the wallet may not be
 * frozen, the amount must fit the allowance, and the balance may not go below zero. The PIN is the
 * caller's to check first. Meant for inside the caller's Transactional run (the order and its payment).
 */
export const makePayFromWallet = Effect.gen(function*() {
  const ledger = yield* Ledger
  const kyc = yield* KycRepository
  const policy = yield* WalletPolicy
  const ids = yield* IdGenerator
  return Effect.fn("Wallet.pay")(function*(payment: WalletPayment) {
    if (!(payment.amountXof > 0)) return yield* Effect.die(new RangeError(`a wallet payment is a positive amount, got ${payment.amountXof}`))
    const now = yield* Clock.currentTimeMillis
    const [from, limits] = yield* Effect.all([
      ledger.walletOf(payment.payerId),
      Effect.map(kycLevelOf(kyc, payment.payerId), (level) => policy.limits[level])
    ], { concurrency: "unbounded" })
    const { dayStart, monthStart } = periodStarts(now, policy.timeZone)
    const transaction: LedgerTransaction = {
      id: yield* ids.uuid,
      type: "payment",
      idempotencyKey: payment.idempotencyKey,
      postings: [{ accountId: from.id, amountXof: xof(-payment.amountXof) }, { accountId: payment.to.id, amountXof: payment.amountXof }],
      cause: { kind: "user", id: payment.payerId },
      reversesId: null,
      note: payment.note,
      reference: payment.reference,
      createdAt: new Date(now)
    }
    const posted = yield* ledger.post({
      transaction,
      reads: () => ({ outflowSince: { accountId: from.id, since: outflowInstants({ dayStart, monthStart }) } }),
      guard: (state) => {
        if (state.accounts.get(from.id)?.freeze) return new WalletFrozen({ side: "own" })
        return checkOutflow(limits, outflowFrom(state.outflowSinceXof ?? []), payment.amountXof)
      }
    })
    return posted.transaction
  })
})
