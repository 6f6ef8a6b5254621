import { Cause, Clock, Duration, Effect } from "effect"
import { Payouts } from "@nelo/domain/earnings/Payouts"
import { latestPayoutSlot, type PayoutSlot, slotHandledAtStart } from "@nelo/domain/earnings/payoutSchedule"
import type { PayoutJob } from "@nelo/adapters/bullmq/PayoutJobsBullmq"

/**
 * The payouts' clock, one pass every interval: the weekly run queued once its slot has come (the
 * job id is the slot's: every worker, every pass, queues the same one, run once), and the payouts
 * due for their next step queued (one job per step). A failing pass is logged and tried again.
 */
export const payoutsLoop = (options: {
  readonly intervalMs: number
  readonly batchSize: number
  readonly slot: PayoutSlot | null
  readonly add: (job: PayoutJob, id: string) => Effect.Effect<void, unknown>
}) =>
  Effect.gen(function*() {
    const payouts = yield* Payouts
    // The job id keeps a slot's run to one, for as long as BullMQ keeps completed jobs
    // (JOB_KEEP_COMPLETED_SECONDS, a week by default): a slot caught up by two workers runs once.
    let lastSlotMs = options.slot === null ? 0 : slotHandledAtStart(new Date(yield* Clock.currentTimeMillis), options.slot)
    while (true) {
      const queued = yield* Effect.gen(function*() {
        if (options.slot !== null) {
          const slot = latestPayoutSlot(new Date(yield* Clock.currentTimeMillis), options.slot)
          if (slot.getTime() > lastSlotMs) {
            yield* options.add({ kind: "run", startedBy: `schedule ${slot.toISOString()}` }, `run-${slot.toISOString()}`)
            yield* Effect.logInfo("payout run queued").pipe(Effect.annotateLogs({ slot: slot.toISOString() }))
            lastSlotMs = slot.getTime()
          }
        }
        const due = yield* payouts.due(options.batchSize)
        yield* Effect.forEach(due, (payout) => options.add({ kind: "advance", payoutId: payout.id }, `advance-${payout.id}-${payout.attempts}`), { discard: true, concurrency: 16 })
        return due.length
      }).pipe(
        Effect.catchCauseIf(
          (cause) => !Cause.hasInterruptsOnly(cause),
          (cause) => Effect.logWarning("payouts pass failed").pipe(Effect.annotateLogs({ cause: Cause.pretty(cause) }), Effect.as(0))
        )
      )
      // A full batch (a large run just made, from the CLI say): the next one a second later rather
      // than a whole interval, so 10,000 payouts are not held to one batch per interval. Payouts
      // already queued and not yet run are found again meanwhile: their adds are ignored (same id).
      yield* Effect.sleep(Duration.millis(queued >= options.batchSize ? Math.min(1_000, options.intervalMs) : options.intervalMs))
    }
  })
