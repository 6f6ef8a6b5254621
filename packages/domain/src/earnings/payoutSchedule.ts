/** A weekly time of payouts, in Abidjan (UTC all year): weekday 0 = Sunday … 6 = Saturday. */
export interface PayoutSlot {
  readonly weekday: number
  readonly hour: number
  readonly minute: number
}

const weekMs = 7 * 86_400_000

/** The latest instant of the weekly slot at or before `now`: the run that is due (once per slot). */
export const latestPayoutSlot = (now: Date, slot: PayoutSlot): Date => {
  const startOfDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  const daysBack = (now.getUTCDay() - slot.weekday + 7) % 7
  const candidate = startOfDay - daysBack * 86_400_000 + (slot.hour * 60 + slot.minute) * 60_000
  return new Date(candidate <= now.getTime() ? candidate : candidate - weekMs)
}
