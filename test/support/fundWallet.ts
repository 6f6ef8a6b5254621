import { Effect } from "effect"
import { IdGenerator } from "@nelo/domain/shared/IdGenerator"
import { xof } from "@nelo/domain/shared/Xof"
import { Ledger } from "@nelo/domain/wallet/Ledger"

/**
 * Money arriving from Wave into a user's wallet, posted as confirmTopup posts it (Wave's clearing
 * account → the wallet), without a gateway round trip. Answers the wallet's account. Needs Ledger
 * and IdGenerator (any adapters).
 */
export const fundWallet = (userId: string, amountXof: number) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const [clearing, wallet] = yield* Effect.all([ledger.clearingOf("wave"), ledger.walletOf(userId)])
    const id = yield* (yield* IdGenerator).uuid
    yield* ledger.post({
      transaction: {
        id,
        type: "topup",
        idempotencyKey: `topup:test-${id}`,
        postings: [{ accountId: clearing.id, amountXof: xof(-amountXof) }, { accountId: wallet.id, amountXof: xof(amountXof) }],
        cause: { kind: "system", id: "test" },
        reversesId: null,
        note: null,
        reference: `wave-test-${id}`,
        createdAt: new Date()
      }
    })
    return wallet
  })
