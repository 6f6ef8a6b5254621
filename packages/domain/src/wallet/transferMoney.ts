import { Clock, Effect, Option, Result } from "effect"
import { PhoneInvalid } from "../auth/errors.ts"
import { makeVerifyPin } from "../auth/pin.ts"
import { KycRepository } from "../users/KycRepository.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { parsePhone } from "../shared/Phone.ts"
import type { UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { periodStarts } from "./calendarPeriods.ts"
import { IdempotencyKeyReused, ReceiverNotFound, SelfTransfer, SuspiciousFanOut, TransferAmountInvalid, WalletFrozen } from "./errors.ts"
import { makeFreezes } from "./freezes.ts"
import { kycLevelOf } from "./kycLevel.ts"
import { Ledger } from "./Ledger.ts"
import type { LedgerTransaction } from "./LedgerTransaction.ts"
import { fanOutSince, newReceivers } from "./fanOut.ts"
import { checkOutflow, outflowFrom, outflowInstants } from "./outflowLimits.ts"
import { samePostings } from "./samePostings.ts"
import { WalletPolicy } from "./WalletPolicy.ts"
import { isXof, xof } from "../shared/Xof.ts"

export interface TransferInput {
  /** As the person typed it: read with parsePhone. */
  readonly toPhone: string
  readonly amountXof: number
  readonly pin: string
  /** The app's key for this transfer: a retry after a lost answer sends the same one. */
  readonly idempotencyKey: string
  readonly note: string | null
}

const hourMs = 3600_000

/**
 * Sends money from one wallet to another's, by phone number. The PIN is checked first (its lockout
 * applies), then, under the ledger's locks, that neither wallet is frozen and that the amount fits
 * the sender's daily and monthly allowance; the balance may not go below zero. The same
 * idempotency key sent again returns the first transfer and moves nothing.
 */
export const makeTransferMoney = Effect.gen(function*() {
  const users = yield* UserRepository
  const policy = yield* WalletPolicy
  const ledger = yield* Ledger
  const kyc = yield* KycRepository
  const ids = yield* IdGenerator
  const verifyPin = yield* makeVerifyPin
  const { freezeForSuspicion } = yield* makeFreezes
  return Effect.fn("Wallet.transfer")(function*(senderId: UserId, input: TransferInput) {
    // A negative amount would turn the postings round and pull money from the receiver.
    if (!isXof(input.amountXof) || input.amountXof <= 0) return yield* new TransferAmountInvalid()
    const amountXof = input.amountXof
    const toPhone = parsePhone(input.toPhone)
    if (Result.isFailure(toPhone)) return yield* new PhoneInvalid({ reason: toPhone.failure })
    const now = yield* Clock.currentTimeMillis
    // Read side by side with the PIN check, but used only once it passed: without the right PIN,
    // nobody learns which numbers have a NELO account.
    const [, receiver, limits, from] = yield* Effect.all([
      verifyPin(senderId, input.pin),
      users.findByPhone(toPhone.success),
      Effect.map(kycLevelOf(kyc, senderId), (level) => policy.limits[level]),
      ledger.walletOf(senderId)
    ], { concurrency: "unbounded" })
    if (Option.isNone(receiver)) return yield* new ReceiverNotFound()
    if (receiver.value.id === senderId) return yield* new SelfTransfer()
    const to = yield* ledger.walletOf(receiver.value.id)
    const { dayStart, monthStart } = periodStarts(now, policy.timeZone)
    const transaction: LedgerTransaction = {
      id: yield* ids.uuid,
      type: "transfer",
      idempotencyKey: `transfer:${senderId}:${input.idempotencyKey}`,
      postings: [{ accountId: from.id, amountXof: xof(-amountXof) }, { accountId: to.id, amountXof }],
      cause: { kind: "user", id: senderId },
      reversesId: null,
      note: input.note,
      reference: null,
      createdAt: new Date(now)
    }
    const posted = yield* ledger.post({
      transaction,
      reads: (accounts) => ({
        outflowSince: { accountId: from.id, since: outflowInstants({ dayStart, monthStart }) },
        receiversFirstPaidSince: { senderAccountId: from.id, since: fanOutSince(new Date(now - hourMs), accounts.get(from.id)?.lastUnfrozenAt ?? null) },
        paidBefore: { senderAccountId: from.id, receiverAccountId: to.id }
      }),
      guard: (state) => {
        if (state.accounts.get(from.id)?.freeze) return new WalletFrozen({ side: "own" })
        if (state.accounts.get(to.id)?.freeze) return new WalletFrozen({ side: "receiver" })
        // The transfer that would cross the line is refused, and the wallet frozen (below).
        const receivers = newReceivers(state.receiversFirstPaidSince ?? 0, state.paidBefore ?? false)
        if (receivers > policy.freezeAfterNewReceiversPerHour) return new SuspiciousFanOut({ newReceivers: receivers })
        return checkOutflow(limits, outflowFrom(state.outflowSinceXof ?? []), amountXof)
      }
    }).pipe(
      Effect.catchTag("SuspiciousFanOut", (suspicion) =>
        freezeForSuspicion(senderId, "new_receivers_per_hour", `${suspicion.newReceivers} nouveaux destinataires en moins d'une heure`).pipe(
          Effect.andThen(Effect.fail(new WalletFrozen({ side: "own" })))
        ))
    )
    if (posted.replayed && !samePostings(posted.transaction, transaction)) return yield* new IdempotencyKeyReused()
    return { transaction: posted.transaction, receiver: receiver.value }
  })
})
