import { Context, Effect, Layer, Option, Result } from "effect"
import { makeSendOtp } from "../auth/sendOtp.ts"
import { makeVerifyOtp } from "../auth/verifyOtp.ts"
import { PhoneInvalid } from "../auth/errors.ts"
import { makeManagedProvider } from "../catalogue/providerAccess.ts"
import { DriverRepository } from "../deliveries/DriverRepository.ts"
import { OutboxStore } from "../events/OutboxStore.ts"
import { currentDate } from "../shared/currentDate.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { parsePhone } from "../shared/Phone.ts"
import type { Role, UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { PayoutNumberNotPending, RatePartyNotFound } from "./errors.ts"
import type { Payee } from "./Payout.ts"
import type { PayoutAccount } from "./PayoutAccount.ts"
import { PayoutAccountRepository } from "./PayoutAccountRepository.ts"
import { payoutAccountMessages } from "./payoutAccountMessages.ts"
import { PayoutPolicy } from "./PayoutPolicy.ts"

/** Someone signed in, acting on a payout account: the driver himself, a provider's owner, or an admin. */
export interface PayoutActor {
  readonly userId: UserId
  readonly roles: ReadonlyArray<Role>
}

/** An account as its payee sees it: nothing yet is an empty account. */
const emptyAccount = (payee: Payee, holderName: string): PayoutAccount => ({
  payee,
  holderName,
  mobile: null,
  confirmedAt: null,
  payoutsHeldUntil: null,
  pendingMobile: null,
  pendingSince: null
})

/**
 * The payees' payout numbers (issue 13): a driver or a provider's owner registers the Wave number
 * their earnings go to; a code sent to that number confirms it. Changing a confirmed number is
 * logged, the old number is told, and payouts wait `numberChangeHoldMs`: whoever took over an
 * account cannot have the next payout sent to their own number before the owner notices.
 */
const makePayoutAccounts = Effect.gen(function*() {
  const store = yield* PayoutAccountRepository
  const drivers = yield* DriverRepository
  const users = yield* UserRepository
  const managedProvider = yield* makeManagedProvider
  const policy = yield* PayoutPolicy
  const outbox = yield* OutboxStore
  const ids = yield* IdGenerator
  const sendOtp = yield* makeSendOtp
  const verifyOtp = yield* makeVerifyOtp

  /** The payee an actor may act for, and the name payouts carry. Another's is not found, like none. */
  const payeeFor = (actor: PayoutActor, payee: Payee) =>
    Effect.gen(function*() {
      if (payee.kind === "provider") {
        const provider = yield* managedProvider(actor, payee.id)
        return { payee, holderName: provider.name }
      }
      if (payee.id !== actor.userId && !actor.roles.includes("admin")) return yield* new RatePartyNotFound({ kind: "driver" })
      const driver = yield* drivers.findById(payee.id)
      const user = yield* users.findById(payee.id as UserId)
      if (Option.isNone(driver) || Option.isNone(user)) return yield* new RatePartyNotFound({ kind: "driver" })
      return { payee, holderName: user.value.fullName }
    })

  const view = (payee: Payee, holderName: string) => Effect.map(store.find(payee), Option.getOrElse(() => emptyAccount(payee, holderName)))

  return {
    /** The payee's payout account, as its payee (or an admin) sees it. */
    accountOf: Effect.fn("PayoutAccounts.accountOf")(function*(actor: PayoutActor, payee: Payee) {
      const found = yield* payeeFor(actor, payee)
      return yield* view(found.payee, found.holderName)
    }),

    /**
     * Asks for a number: a code goes to it by SMS (the sign-in codes' limits apply: per number, per
     * address, a cooldown), and the number waits for it. The confirmed number, if any, stays in use
     * until then.
     */
    requestNumber: Effect.fn("PayoutAccounts.requestNumber")(function*(actor: PayoutActor, payee: Payee, input: { readonly mobile: string; readonly clientIp: string }) {
      const found = yield* payeeFor(actor, payee)
      const { phone } = yield* sendOtp({ phone: input.mobile, purpose: "payout_account", clientIp: input.clientIp })
      yield* store.setPending(found.payee, { mobile: phone, holderName: found.holderName, at: yield* currentDate })
      return yield* view(found.payee, found.holderName)
    }),

    /**
     * Confirms the waiting number with its code. Replacing a confirmed number holds payouts for a
     * while and tells the old number (its owner learns of a change they did not make).
     */
    confirmNumber: Effect.fn("PayoutAccounts.confirmNumber")(function*(actor: PayoutActor, payee: Payee, input: { readonly code: string }) {
      const found = yield* payeeFor(actor, payee)
      const account = yield* store.find(found.payee)
      if (Option.isNone(account) || account.value.pendingMobile === null) return yield* new PayoutNumberNotPending()
      const pending = account.value.pendingMobile
      yield* verifyOtp({ phone: pending, code: input.code, purpose: "payout_account" })
      const now = yield* currentDate
      const previous = account.value.mobile
      const replacing = previous !== null && previous !== pending
      const heldUntil = replacing ? new Date(now.getTime() + policy.numberChangeHoldMs) : account.value.payoutsHeldUntil
      const confirmed = yield* store.confirm(found.payee, { mobile: pending, at: now, heldUntil, changedBy: actor.userId })
      // Another number was asked for meanwhile: this code confirmed a number no longer wanted.
      if (!confirmed) return yield* new PayoutNumberNotPending()
      if (replacing) {
        yield* outbox.append([{
          id: yield* ids.uuid,
          type: "notification.requested",
          aggregateType: "payout_account",
          aggregateId: found.payee.id,
          payload: { channel: "sms", to: previous, body: payoutAccountMessages.changed(pending, heldUntil!) },
          occurredAt: now.toISOString()
        }])
        yield* Effect.logInfo("payout number changed").pipe(Effect.annotateLogs({ payeeKind: found.payee.kind, payeeId: found.payee.id, by: actor.userId }))
      }
      return yield* view(found.payee, found.holderName)
    }),

    /** The log of the payee's number changes, for an admin looking into a complaint. */
    changesOf: Effect.fn("PayoutAccounts.changesOf")(function*(actor: PayoutActor, payee: Payee) {
      yield* payeeFor(actor, payee)
      return yield* store.changes(payee)
    })
  }
})

export class PayoutAccounts extends Context.Service<PayoutAccounts>()("nelo/earnings/PayoutAccounts", { make: makePayoutAccounts }) {
  static readonly layer = Layer.effect(PayoutAccounts, PayoutAccounts.make)
}
