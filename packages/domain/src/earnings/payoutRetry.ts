import type { Payout } from "./Payout.ts"

/**
 * When the worker looks at an unfinished payout again, after its `attempts`-th try: at once when
 * never tried, then soon (most payouts settle within a minute), then less and less often, at most
 * hourly, so that a gateway down for a day is asked a few dozen times per payout, not thousands.
 */
export const nextPayoutCheckInMs = (attempts: number): number => {
  if (attempts <= 0) return 0
  const steps = [15_000, 30_000, 60_000, 5 * 60_000, 15 * 60_000]
  return steps[attempts - 1] ?? 60 * 60_000
}

/** Whether an unfinished gateway payout is due for its next step: its last change is older than its back-off. */
export const isPayoutDue = (payout: Pick<Payout, "attempts" | "updatedAt">, now: Date) =>
  payout.updatedAt.getTime() + nextPayoutCheckInMs(payout.attempts) <= now.getTime()
