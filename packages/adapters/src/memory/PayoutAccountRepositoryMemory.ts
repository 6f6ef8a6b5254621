import { Effect, Layer, Option } from "effect"
import { EarningsUnavailable } from "@nelo/domain/earnings/errors"
import type { Payee } from "@nelo/domain/earnings/Payout"
import type { PayoutAccount, PayoutAccountChange } from "@nelo/domain/earnings/PayoutAccount"
import { PayoutAccountRepository } from "@nelo/domain/earnings/PayoutAccountRepository"
import { isUuid } from "../postgres/isUuid.ts"
import { recordUndo } from "./memoryTransaction.ts"

const keyOf = (payee: Payee) => `${payee.kind}:${payee.id.toLowerCase()}`

/**
 * The payout numbers in memory, for unit tests, behaving as the Postgres adapter does: a malformed
 * payee id names no account (none, false) and is refused on write (EarningsUnavailable); each payee's
 * account is read once by findMany, however often it is asked.
 */
export const PayoutAccountRepositoryMemory = Layer.sync(PayoutAccountRepository, () => {
  const accounts = new Map<string, PayoutAccount>()
  const changes: Array<PayoutAccountChange> = []

  const set = (key: string, account: PayoutAccount) =>
    Effect.suspend(() => {
      const before = accounts.get(key)
      accounts.set(key, account)
      return recordUndo(() => before === undefined ? accounts.delete(key) : accounts.set(key, before))
    })

  return PayoutAccountRepository.of({
    find: (payee) => Effect.sync(() => Option.fromNullishOr(accounts.get(keyOf(payee)))),
    findMany: (payees) => Effect.sync(() => {
      const keys = new Set(payees.map(keyOf))
      return [...keys].flatMap((key) => {
        const account = accounts.get(key)
        return account === undefined ? [] : [account]
      })
    }),
    setPending: (payee, pending) =>
      Effect.suspend(() => {
        if (!isUuid(payee.id)) return Effect.fail(new EarningsUnavailable({ cause: new Error(`${payee.id} is not a uuid`) }))
        const before = accounts.get(keyOf(payee))
        return set(keyOf(payee), {
          payee: { kind: payee.kind, id: payee.id.toLowerCase() },
          holderName: pending.holderName,
          mobile: before?.mobile ?? null,
          confirmedAt: before?.confirmedAt ?? null,
          payoutsHeldUntil: before?.payoutsHeldUntil ?? null,
          pendingMobile: pending.mobile,
          pendingSince: pending.at
        })
      }),
    confirm: (payee, confirmed) =>
      Effect.suspend(() => {
        const before = accounts.get(keyOf(payee))
        if (before === undefined || before.pendingMobile !== confirmed.mobile) return Effect.succeed(false)
        const change: PayoutAccountChange = { payee: before.payee, previousMobile: before.mobile, mobile: confirmed.mobile, changedBy: confirmed.changedBy, at: confirmed.at }
        changes.push(change)
        return set(keyOf(payee), { ...before, mobile: confirmed.mobile, confirmedAt: confirmed.at, payoutsHeldUntil: confirmed.heldUntil, pendingMobile: null, pendingSince: null }).pipe(
          Effect.andThen(recordUndo(() => void changes.splice(changes.indexOf(change), 1))),
          Effect.as(true)
        )
      }),
    changes: (payee) => Effect.sync(() => changes.filter((change) => keyOf(change.payee) === keyOf(payee)))
  })
})
