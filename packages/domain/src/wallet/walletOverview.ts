import { Clock, Effect, Option } from "effect"
import { KycRepository } from "../users/KycRepository.ts"
import type { UserId } from "../users/User.ts"
import type { WalletStatus } from "./Account.ts"
import { periodStarts } from "./calendarPeriods.ts"
import { kycLevelOf } from "./kycLevel.ts"
import { Ledger } from "./Ledger.ts"
import { allowances, outflowFrom, outflowInstants } from "./outflowLimits.ts"
import { WalletPolicy } from "./WalletPolicy.ts"
import { xof } from "../shared/Xof.ts"

/** A person's wallet as the app shows it: balance, status, and what is left to send today and this month. */
export const makeWalletOverview = Effect.gen(function*() {
  const policy = yield* WalletPolicy
  const ledger = yield* Ledger
  const kyc = yield* KycRepository
  return Effect.fn("Wallet.overview")(function*(userId: UserId) {
    const now = yield* Clock.currentTimeMillis
    const [level, wallet] = yield* Effect.all([kycLevelOf(kyc, userId), ledger.findWallet(userId)], { concurrency: "unbounded" })
    const { dayStart, monthStart } = periodStarts(now, policy.timeZone)
    // A wallet is opened on its first top-up or transfer; before that it is empty and active.
    const state = Option.isSome(wallet)
      ? yield* Effect.all([
        ledger.stateOf(wallet.value.id),
        Effect.map(ledger.outflowSince(wallet.value.id, outflowInstants({ dayStart, monthStart })), outflowFrom)
      ], { concurrency: "unbounded" })
      : undefined
    const status: WalletStatus = state?.[0].freeze ? "frozen" : "active"
    return {
      balanceXof: state?.[0].balanceXof ?? xof(0),
      currency: "XOF" as const,
      status,
      frozenReason: state?.[0].freeze?.reason ?? null,
      kycLevel: level,
      ...allowances(policy.limits[level], state?.[1] ?? { todayXof: xof(0), monthXof: xof(0) })
    }
  })
})
