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

/** How late a slot is still run: a worker down at the time catches it up within this. */
export const payoutSlotCatchUpMs = 24 * 3600_000

/**
 * At a worker's start, the latest slot taken as already handled: the one before the latest reached
 * when that one was missed by less than `payoutSlotCatchUpMs` (so it is queued now), the latest
 * otherwise (older ones are not run late: the next slot pays what they would have).
 */
export const slotHandledAtStart = (startedAt: Date, slot: PayoutSlot): number => {
  const missed = latestPayoutSlot(startedAt, slot).getTime()
  return startedAt.getTime() - missed < payoutSlotCatchUpMs ? missed - 1 : missed
}
