import { Schema } from "effect"
import type { PayoutAccount, PayoutAccountChange } from "@nelo/domain/earnings/PayoutAccount"
import { Id, Instant, Text } from "../shared/bounded.ts"

/** A number as stored: E.164 (+225 and 10 digits). */
const Mobile = Schema.String.pipe(Schema.check(Schema.isPattern(/^\+225\d{10}$/u)))

/**
 * A payee's payout account as the payee sees it: the confirmed number (shown in full: it is their
 * own), when it was confirmed, until when payouts wait after a change, the number waiting for its
 * code and since when, and the name the gateway shows. Nothing registered yet: every field null.
 */
export const PayoutAccountView = Schema.Struct({
  mobile: Schema.NullOr(Mobile),
  confirmedAt: Schema.NullOr(Instant),
  /** Set by a change of a confirmed number: no payout is sent before then (in the past: no hold any more). */
  payoutsHeldUntil: Schema.NullOr(Instant),
  pendingMobile: Schema.NullOr(Mobile),
  pendingSince: Schema.NullOr(Instant),
  holderName: Text(200)
}).annotate({ identifier: "PayoutAccount" })

/** The most recent changes a log answer carries (each needs a code texted to the new number: a handful in practice). */
export const maximumChangesShown = 200

export const PayoutAccountChangeView = Schema.Struct({
  previousMobile: Schema.NullOr(Mobile),
  mobile: Mobile,
  /** Who confirmed it: the payee (or the provider's owner), or an admin. */
  changedBy: Id,
  at: Instant
}).annotate({ identifier: "PayoutAccountChange" })

export const PayoutAccountChangesView = Schema.Struct({
  changes: Schema.Array(PayoutAccountChangeView).pipe(Schema.check(Schema.isMaxLength(maximumChangesShown)))
}).annotate({ identifier: "PayoutAccountChanges" })

const instant = (date: Date | null) => date === null ? null : date.toISOString()

export const payoutAccountView = (account: PayoutAccount): typeof PayoutAccountView.Type => ({
  mobile: account.mobile,
  confirmedAt: instant(account.confirmedAt),
  payoutsHeldUntil: instant(account.payoutsHeldUntil),
  pendingMobile: account.pendingMobile,
  pendingSince: instant(account.pendingSince),
  holderName: account.holderName
})

/** The log, oldest first, its most recent `maximumChangesShown` entries. */
export const payoutAccountChangesView = (changes: ReadonlyArray<PayoutAccountChange>): typeof PayoutAccountChangesView.Type => ({
  changes: changes.slice(-maximumChangesShown).map((change) => ({
    previousMobile: change.previousMobile,
    mobile: change.mobile,
    changedBy: change.changedBy,
    at: change.at.toISOString()
  }))
})
