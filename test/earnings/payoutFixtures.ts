import { Effect, Layer } from "effect"
import { OtpStoreMemory } from "@nelo/adapters/memory/OtpStoreMemory"
import { PayoutAccountRepositoryMemory } from "@nelo/adapters/memory/PayoutAccountRepositoryMemory"
import { payoutGatewaysMemory } from "@nelo/adapters/memory/PayoutGatewaysMemory"
import { PayoutRepositoryMemory } from "@nelo/adapters/memory/PayoutRepositoryMemory"
import { SmsOutbox, SmsSenderMemory } from "@nelo/adapters/memory/SmsSenderMemory"
import { TokenIssuerMemory } from "@nelo/adapters/memory/TokenIssuerMemory"
import type { Payee } from "@nelo/domain/earnings/Payout"
import { PayoutAccounts } from "@nelo/domain/earnings/PayoutAccounts"
import { PayoutPolicy, type PayoutPolicyNumbers, defaultPayoutPolicy } from "@nelo/domain/earnings/PayoutPolicy"
import type { Role, UserId } from "@nelo/domain/users/User"
import { Payouts } from "@nelo/domain/earnings/Payouts"
import { earningsContext } from "./earningsFixtures.ts"

// Payouts on the memory adapters: the earnings context (settlement, and under it deliveries,
// orders, the ledger), the payouts' own stores, both payout gateways in memory (PayoutControls),
// and the SMS sender the payout numbers' codes go through (SmsOutbox).

export const payoutsContext = (options: { readonly policy?: Partial<PayoutPolicyNumbers>; readonly gateways?: { readonly wave?: boolean; readonly cinetpay?: boolean } } = {}) =>
  Layer.mergeAll(Payouts.layer, PayoutAccounts.layer).pipe(
    Layer.provideMerge(Layer.mergeAll(
      PayoutRepositoryMemory,
      PayoutAccountRepositoryMemory,
      payoutGatewaysMemory(options.gateways),
      Layer.succeed(PayoutPolicy, { ...defaultPayoutPolicy, ...options.policy }),
      OtpStoreMemory,
      TokenIssuerMemory,
      SmsSenderMemory
    )),
    Layer.provideMerge(earningsContext())
  )

/** The last code texted to a number. */
export const lastCodeTo = (phone: string) =>
  SmsOutbox.use((outbox) => Effect.sync(() => {
    const message = outbox.sent().filter((sms) => sms.to === phone).at(-1)
    if (message === undefined) throw new Error(`no SMS to ${phone}`)
    return /\b(\d{6})\b/u.exec(message.body)![1]!
  }))

/** Registers and confirms a payout number for a payee, acting as `actor`. */
export const confirmedNumber = (actor: { readonly userId: string; readonly roles: ReadonlyArray<Role> }, payee: Payee, mobile: string) =>
  Effect.gen(function*() {
    const accounts = yield* PayoutAccounts
    const who = { userId: actor.userId as UserId, roles: actor.roles }
    const requested = yield* accounts.requestNumber(who, payee, { mobile, clientIp: `198.51.100.${Math.floor(Math.random() * 250)}` })
    return yield* accounts.confirmNumber(who, payee, { code: yield* lastCodeTo(requested.pendingMobile!) })
  })
