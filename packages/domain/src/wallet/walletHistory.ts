import { Effect, Option } from "effect"
import { topupKey } from "../payments/confirmTopup.ts"
import { PaymentIntentRepository } from "../payments/PaymentIntentRepository.ts"
import type { UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { maskPhone, shortName } from "./counterparty.ts"
import { Ledger } from "./Ledger.ts"
import type { TransactionType } from "./LedgerTransaction.ts"
import type { Xof } from "../shared/Xof.ts"

export interface HistoryItem {
  readonly id: string
  readonly type: TransactionType
  /** Positive in, negative out, for this wallet. */
  readonly amountXof: Xof
  readonly status: "completed" | "reversed" | "pending" | "failed" | "expired" | "mismatch"
  readonly counterparty: { readonly name: string; readonly phone: string } | null
  readonly reference: string | null
  readonly note: string | null
  readonly at: Date
}

export interface HistoryQuery {
  /** The last id of the previous page, or null for the first. */
  readonly cursor: string | null
  readonly limit: number
  readonly types: ReadonlyArray<TransactionType> | null
}

export interface HistoryPage {
  readonly items: ReadonlyArray<HistoryItem>
  readonly nextCursor: string | null
}

/**
 * A wallet's history, newest first: its ledger transactions, and the top-ups not credited (yet) so
 * that someone who paid sees their payment waiting. Both have time-ordered ids: the cursor is the
 * last id shown.
 */
export const makeWalletHistory = Effect.gen(function*() {
  const ledger = yield* Ledger
  const intentRepository = yield* PaymentIntentRepository
  const users = yield* UserRepository
  return Effect.fn("Wallet.history")(function*(userId: UserId, query: HistoryQuery) {
    const wallet = yield* ledger.findWallet(userId)
    const withTopups = query.types === null || query.types.includes("topup")
    const [entries, intents] = yield* Effect.all([
      Option.isSome(wallet)
        ? ledger.history({ accountId: wallet.value.id, beforeId: query.cursor, types: query.types, limit: query.limit + 1 })
        : Effect.succeed([]),
      withTopups ? intentRepository.unsettledOf(userId, query.cursor, query.limit + 1) : Effect.succeed([])
    ], { concurrency: "unbounded" })

    // A top-up credited a moment ago may not be marked succeeded yet (two writes): its credit is in
    // the ledger, so the intent is not shown a second time as pending.
    const credited = yield* ledger.writtenKeys(intents.map((intent) => topupKey(intent.id)))
    const shownIntents = intents.filter((intent) => !credited.has(topupKey(intent.id)))

    const counterpartyIds = [...new Set(entries.flatMap((entry) => entry.counterpartyUserId === null ? [] : [entry.counterpartyUserId]))]
    const counterparties = new Map((yield* users.findByIds(counterpartyIds.map((id) => id as UserId))).map((user) => [user.id as string, user] as const))

    const items: Array<HistoryItem> = [
      ...entries.map((entry): HistoryItem => {
        const other = entry.counterpartyUserId === null ? undefined : counterparties.get(entry.counterpartyUserId)
        return {
          id: entry.transaction.id,
          type: entry.transaction.type,
          amountXof: entry.amountXof,
          status: entry.reversedById === null ? "completed" : "reversed",
          counterparty: other === undefined ? null : { name: shortName(other.fullName), phone: maskPhone(other.phone) },
          reference: entry.transaction.reference,
          note: entry.transaction.note,
          at: entry.transaction.createdAt
        }
      }),
      ...shownIntents.map((intent): HistoryItem => ({
        id: intent.id,
        type: "topup",
        amountXof: intent.amountXof,
        status: intent.status === "succeeded" ? "completed" : intent.status,
        counterparty: null,
        reference: intent.gatewayReference,
        note: null,
        at: intent.createdAt
      }))
    ].sort((left, right) => (left.id < right.id ? 1 : left.id > right.id ? -1 : 0))
    const page = items.slice(0, query.limit)
    return { items: page, nextCursor: items.length > query.limit ? page.at(-1)!.id : null } satisfies HistoryPage
  })
})
