import { Config, Schema } from "effect"
import type { PayoutSlot } from "@nelo/domain/earnings/payoutSchedule"

const weekdays = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const
const PayoutSchedule = Schema.String.pipe(Schema.check(Schema.isPattern(/^(?:off|(?:SUN|MON|TUE|WED|THU|FRI|SAT) (?:[01]\d|2[0-3]):[0-5]\d)$/u, {
  expected: "\"off\" or a weekday and an Abidjan time, e.g. \"MON 08:00\""
})))
const payoutSlotOf = (schedule: string): PayoutSlot | null => {
  if (schedule === "off") return null
  const [day, time] = schedule.split(" ")
  const [hour, minute] = time!.split(":").map(Number)
  return { weekday: weekdays.indexOf(day as (typeof weekdays)[number]), hour: hour!, minute: minute! }
}

// Zero or a negative number would make a loop spin without pause, or silently turn a job off.
const positive = (name: string, fallback: number) =>
  Config.schema(Schema.Int.pipe(Schema.check(Schema.isGreaterThan(0))), name).pipe(Config.withDefault(fallback))

export const WorkerConfig = Config.all({
  /** How often the relay looks for new outbox events when the last pass found few. */
  outboxPollIntervalMs: positive("OUTBOX_POLL_INTERVAL_MS", 200),
  outboxBatchSize: positive("OUTBOX_BATCH_SIZE", 100),
  notificationsConcurrency: positive("NOTIFICATIONS_CONCURRENCY", 4),
  /** Order deadlines scheduled and enforced at once (each a short database transaction). */
  orderTimersConcurrency: positive("ORDER_TIMERS_CONCURRENCY", 4),
  /** Delivered orders settled at once (each one ledger transaction under its provider's escrow lock). */
  settlementsConcurrency: positive("SETTLEMENTS_CONCURRENCY", 4),
  /** Dispatch steps run at once (each a short transaction under its delivery's lock). */
  dispatchConcurrency: positive("DISPATCH_CONCURRENCY", 8),
  /** How often pending top-ups are re-checked with their gateway (a webhook may have been missed). */
  topupRecheckIntervalMs: positive("TOPUP_RECHECK_INTERVAL_MS", 60_000),
  /** Stored webhooks, then pending top-ups, handled per pass (each a batch of this size). */
  topupRecheckBatchSize: positive("TOPUP_RECHECK_BATCH_SIZE", 100),
  /** How often online drivers are checked for silence (set offline after DRIVERS_OFFLINE_AFTER_SILENCE_MS). */
  silentDriversCheckIntervalMs: positive("SILENT_DRIVERS_CHECK_INTERVAL_MS", 60_000),
  /** How often the payouts' clock looks for a scheduled run and payouts due for their next step. */
  payoutsSweepIntervalMs: positive("PAYOUTS_SWEEP_INTERVAL_MS", 15_000),
  /** Payout steps queued per pass, and run at once (each a gateway call and a short transaction). */
  payoutsBatchSize: positive("PAYOUTS_BATCH_SIZE", 500),
  payoutsConcurrency: positive("PAYOUTS_CONCURRENCY", 8),
  /**
   * The weekly payout run, "MON 08:00" (Abidjan time, UTC), or "off": runs are then started with
   * `nelo-admin payouts run`, or paid by hand from `nelo-admin payouts export`.
   */
  payoutsSchedule: Config.schema(PayoutSchedule, "PAYOUTS_SCHEDULE").pipe(Config.withDefault("MON 08:00"), Config.map(payoutSlotOf))
})
export type WorkerConfig = Config.Success<typeof WorkerConfig>
