import { Context, Layer } from "effect"
import type { Phone } from "../shared/Phone.ts"
import { type Xof, xof } from "../shared/Xof.ts"

/** A wallet's KYC level, as the limits see it: identity approved by an admin, or not (yet). */
export type KycLevel = "none" | "approved"

export interface OutflowLimits {
  readonly dailyXof: Xof
  readonly monthlyXof: Xof
}

/**
 * The numbers of the wallet's rules. Defaults are the product's decisions (modest limits before KYC,
 * as BCEAO rules for e-money expect); deployments tune them from config.
 */
export interface WalletPolicyNumbers {
  readonly limits: Readonly<Record<KycLevel, OutflowLimits>>
  /** Days and months of the limits are those of this zone. */
  readonly timeZone: string
  /** Wrong PINs on transfers in one day above which the wallet freezes (the PIN lock alone only pauses). */
  readonly freezeAfterPinFailuresPerDay: number
  /** New receivers in one hour above which the wallet freezes (an account taken over is emptied fast, to many). */
  readonly freezeAfterNewReceiversPerHour: number
  readonly topupMinimumXof: Xof
  readonly topupMaximumXof: Xof
  /** A pending top-up is re-checked with its gateway once this old (its webhook may have been missed). */
  readonly topupRecheckAfterMs: number
  /** A pending top-up this old is given up: expired. */
  readonly topupAbandonAfterMs: number
  /**
   * An expired top-up with a checkout is still asked about, once per this delay, for a week: a
   * payment made after we gave up, whose webhook was lost, is credited all the same.
   */
  readonly expiredTopupRecheckAfterMs: number
  readonly expiredTopupWatchMs: number
  /** Who is told, by SMS, when a wallet freezes or a payment does not match. */
  readonly alertPhones: ReadonlyArray<Phone>
}

export const defaultWalletPolicy: WalletPolicyNumbers = {
  limits: {
    none: { dailyXof: xof(100_000), monthlyXof: xof(500_000) },
    approved: { dailyXof: xof(1_000_000), monthlyXof: xof(5_000_000) }
  },
  timeZone: "Africa/Abidjan",
  freezeAfterPinFailuresPerDay: 10,
  freezeAfterNewReceiversPerHour: 10,
  topupMinimumXof: xof(100),
  topupMaximumXof: xof(1_000_000),
  topupRecheckAfterMs: 5 * 60_000,
  topupAbandonAfterMs: 24 * 3600_000,
  expiredTopupRecheckAfterMs: 3600_000,
  expiredTopupWatchMs: 7 * 24 * 3600_000,
  alertPhones: []
}

/** A required service: an app that forgets it fails at start-up, never runs on defaults unawares. */
export class WalletPolicy extends Context.Service<WalletPolicy, WalletPolicyNumbers>()("nelo/wallet/WalletPolicy") {
  /** The product's defaults, for tests and tools that take no configuration. */
  static readonly defaults = Layer.succeed(WalletPolicy, defaultWalletPolicy)
}
