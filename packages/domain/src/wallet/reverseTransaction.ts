import { Clock, Effect, Option } from "effect"
import { IdGenerator } from "../shared/IdGenerator.ts"
import type { Role, UserId } from "../users/User.ts"
import { requireAdmin } from "../users/setUserRoles.ts"
import { ReversalRefused, TransactionNotFound } from "./errors.ts"
import { Ledger } from "./Ledger.ts"
import { reversingPostings } from "./ledgerRules.ts"

/**
 * Corrects a transaction by writing its opposite (nothing is ever edited). Refused for a reversal;
 * refused too when a wallet no longer holds the money (InsufficientFunds): then the correction needs
 * a person's decision. Asked again, it answers the reversal already written (keyed on the original).
 */
export const makeReverseTransaction = Effect.gen(function*() {
  const ledger = yield* Ledger
  const ids = yield* IdGenerator
  return Effect.fn("Wallet.reverse")(function*(actor: { readonly userId: UserId; readonly roles: ReadonlyArray<Role> }, transactionId: string, reason: string) {
    yield* requireAdmin(actor)
    const original = yield* ledger.findTransaction(transactionId)
    if (Option.isNone(original)) return yield* new TransactionNotFound()
    if (original.value.type === "reversal") return yield* new ReversalRefused({ reason: "is_a_reversal" })
    const existing = yield* ledger.reversalOf(transactionId)
    if (Option.isSome(existing)) return existing.value
    const posted = yield* ledger.post({
      transaction: {
        id: yield* ids.uuid,
        type: "reversal",
        idempotencyKey: `reversal:${transactionId}`,
        postings: reversingPostings(original.value),
        cause: { kind: "admin", id: actor.userId },
        reversesId: transactionId,
        note: reason.trim() || null,
        reference: original.value.reference,
        createdAt: new Date(yield* Clock.currentTimeMillis)
      }
    })
    return posted.transaction
  })
})
