import { Effect, Option } from "effect"
import { AccountNotFound } from "../auth/errors.ts"
import { RateLimiter } from "../auth/RateLimiter.ts"
import { OutboxStore } from "../events/OutboxStore.ts"
import { Transactional } from "../shared/Transactional.ts"
import { currentDate } from "../shared/currentDate.ts"
import type { Role, UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { requireAdmin } from "../users/setUserRoles.ts"
import type { Freeze } from "./Account.ts"
import { FreezeReasonRequired, WalletAlreadyInState } from "./errors.ts"
import { Ledger } from "./Ledger.ts"
import { makeAlertEvents } from "./walletAlerts.ts"
import { WalletPolicy } from "./WalletPolicy.ts"
import { wrongPinBucket } from "./wrongPinBucket.ts"

type Actor = { readonly userId: UserId; readonly roles: ReadonlyArray<Role> }

const reasonOf = (reason: string) => {
  const trimmed = reason.trim()
  return trimmed.length === 0 ? Effect.fail(new FreezeReasonRequired()) : Effect.succeed(trimmed)
}

/** Freezing and unfreezing wallets, by an admin or by a suspicion rule; every change alerts the admins. */
export const makeFreezes = Effect.gen(function*() {
  const users = yield* UserRepository
  const ledger = yield* Ledger
  const limiter = yield* RateLimiter
  const policy = yield* WalletPolicy
  const outbox = yield* OutboxStore
  const transactional = yield* Transactional
  const alertEvents = yield* makeAlertEvents

  const changeFreeze = (userId: UserId, freeze: Freeze, action: "freeze" | "unfreeze") =>
    Effect.gen(function*() {
      const user = yield* users.findById(userId)
      if (Option.isNone(user)) return yield* new AccountNotFound()
      const account = yield* ledger.walletOf(userId)
      const who = freeze.causedBy.kind === "admin" ? `par un administrateur` : `automatiquement`
      const events = yield* alertEvents(
        {
          type: action === "freeze" ? "wallet.frozen" : "wallet.unfrozen",
          aggregateType: "wallet",
          aggregateId: account.id,
          payload: { userId, accountId: account.id, reason: freeze.reason, causedBy: freeze.causedBy }
        },
        action === "freeze"
          ? `NELO : portefeuille de ${user.value.fullName} (${user.value.phone}) gelé ${who}. Motif : ${freeze.reason}`
          : `NELO : portefeuille de ${user.value.fullName} (${user.value.phone}) dégelé ${who}. Motif : ${freeze.reason}`
      )
      // The change and its alerts commit together; of two admins racing, the second changes nothing and alerts nobody.
      const changed = yield* transactional.run(Effect.gen(function*() {
        const changed = yield* ledger.setFreeze(account.id, action === "freeze" ? { freeze } : { unfreeze: freeze })
        if (changed) yield* outbox.append(events)
        return changed
      }))
      if (!changed) return yield* new WalletAlreadyInState({ status: action === "freeze" ? "frozen" : "active" })
    })

  /** An admin freezes a wallet: it can neither send nor receive until unfrozen; the reason is kept. */
  const freeze = Effect.fn("Wallet.freeze")(function*(actor: Actor, userId: UserId, reason: string) {
    yield* requireAdmin(actor)
    yield* changeFreeze(userId, { reason: yield* reasonOf(reason), causedBy: { kind: "admin", id: actor.userId }, at: yield* currentDate }, "freeze")
  })

  /**
   * An admin unfreezes a wallet. The suspicion rules count afresh from then on (the day's wrong PINs
   * forgotten, new receivers counted from the unfreeze): otherwise the next single mistake of the day
   * would freeze it again at once.
   */
  const unfreeze = Effect.fn("Wallet.unfreeze")(function*(actor: Actor, userId: UserId, reason: string) {
    yield* requireAdmin(actor)
    const at = yield* currentDate
    yield* changeFreeze(userId, { reason: yield* reasonOf(reason), causedBy: { kind: "admin", id: actor.userId }, at }, "unfreeze")
    yield* limiter.reset(wrongPinBucket(userId, at.getTime(), policy.timeZone))
  })

  /**
   * A suspicion rule freezes a wallet; admins are alerted. Already frozen is fine: the first reason
   * stands. The person is the caller of the request that raised the suspicion: their account exists.
   */
  const freezeForSuspicion = (userId: UserId, rule: string, reason: string) =>
    Effect.flatMap(currentDate, (at) => changeFreeze(userId, { reason, causedBy: { kind: "system", id: rule }, at }, "freeze")).pipe(
      Effect.flatMap(() => Effect.logWarning("wallet frozen by a suspicion rule").pipe(Effect.annotateLogs({ userId, rule }))),
      Effect.catchTags({
        WalletAlreadyInState: () => Effect.void,
        AccountNotFound: (error) => Effect.die(error)
      })
    )

  return { freeze, unfreeze, freezeForSuspicion }
})
