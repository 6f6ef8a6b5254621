import { Effect, Layer, Option } from "effect"
import { EarningsUnavailable, PayoutAlreadyOpen, PayoutBatchExists } from "@nelo/domain/earnings/errors"
import { isOpenPayout, type Payee, type Payout, type PayoutRun } from "@nelo/domain/earnings/Payout"
import { PayoutRepository } from "@nelo/domain/earnings/PayoutRepository"
import { isUuid } from "../postgres/isUuid.ts"
import { recordUndo } from "./memoryTransaction.ts"

/** What the uuid column holds for this text: lower case, or nothing for a malformed id. */
const uuidOf = (id: string) => isUuid(id) ? id.toLowerCase() : undefined

/** A write Postgres would refuse (a constraint, a malformed uuid): nothing written. */
const refused = (why: string) => Effect.fail(new EarningsUnavailable({ cause: new Error(why) }))

const samePayee = (left: Payee, right: Payee) => left.kind === right.kind && left.id === right.id

// Stored apart from the caller's objects, as the database would.
const copyOf = (payout: Payout): Payout => ({ ...payout, payee: { ...payout.payee }, createdAt: new Date(payout.createdAt.getTime()), updatedAt: new Date(payout.updatedAt.getTime()) })
const copyOfRun = (run: PayoutRun): PayoutRun => ({ ...run, createdAt: new Date(run.createdAt.getTime()) })

/**
 * The payouts in memory, for unit tests, behaving as the Postgres adapter does: one open payout per
 * payee (PayoutAlreadyOpen), one manual run per period, runs and payouts in the order made, ids read
 * back in lower case; what Postgres refuses (a malformed uuid, an id taken, a payout of no run, a
 * second manual run of a period, reopening a payout beside an open one) is EarningsUnavailable and
 * writes nothing. Memory transactions run one at a time, so `lock` is a read; each write records how
 * to undo it.
 */
export const PayoutRepositoryMemory = Layer.sync(PayoutRepository, () => {
  const runs = new Map<string, PayoutRun>()
  const payouts = new Map<string, Payout>()

  const find = (id: string) =>
    Effect.sync(() => {
      const key = uuidOf(id)
      return key === undefined ? Option.none<Payout>() : Option.map(Option.fromNullishOr(payouts.get(key)), copyOf)
    })

  const openOf = (payee: Payee, except: string | null) =>
    [...payouts.values()].find((other) => other.id !== except && samePayee(other.payee, payee) && isOpenPayout(other.status))

  return PayoutRepository.of({
    createRun: (run) =>
      Effect.suspend((): Effect.Effect<void, PayoutBatchExists | EarningsUnavailable> => {
        const id = uuidOf(run.id)
        if (id === undefined) return refused(`run id ${run.id} is not a uuid`)
        if (runs.has(id)) return refused(`run ${id} exists`)
        if ((run.method === "manual") !== (run.periodFrom !== null && run.periodTo !== null) || (run.method === "gateway" && (run.periodFrom !== null || run.periodTo !== null))) {
          return refused("a manual run, and only a manual run, has a period")
        }
        // payout_runs_one_batch_per_period
        if (run.method === "manual" && [...runs.values()].some((other) => other.method === "manual" && other.periodFrom === run.periodFrom && other.periodTo === run.periodTo)) {
          return Effect.fail(new PayoutBatchExists())
        }
        runs.set(id, copyOfRun({ ...run, id }))
        return recordUndo(() => runs.delete(id))
      }),
    findRun: (id) =>
      Effect.sync(() => {
        const key = uuidOf(id)
        return key === undefined ? Option.none<PayoutRun>() : Option.map(Option.fromNullishOr(runs.get(key)), copyOfRun)
      }),
    findManualRun: (periodFrom, periodTo) =>
      Effect.sync(() => Option.map(Option.fromNullishOr([...runs.values()].find((run) => run.method === "manual" && run.periodFrom === periodFrom && run.periodTo === periodTo)), copyOfRun)),
    create: (payout) =>
      Effect.suspend((): Effect.Effect<void, PayoutAlreadyOpen | EarningsUnavailable> => {
        const [id, runId, payeeId] = [uuidOf(payout.id), uuidOf(payout.runId), uuidOf(payout.payee.id)]
        if (id === undefined || runId === undefined || payeeId === undefined) return refused("a payout's ids are uuids")
        const stored = copyOf({ ...payout, id, runId, payee: { kind: payout.payee.kind, id: payeeId } })
        // In the order the insert meets its constraints: the amount's check, the primary key, the open payout's index, the run's foreign key.
        if (stored.amountXof <= 0) return refused("a payout's amount is positive")
        if (payouts.has(id)) return refused(`payout ${id} exists`)
        if (isOpenPayout(stored.status) && openOf(stored.payee, null) !== undefined) return Effect.fail(new PayoutAlreadyOpen({ payeeId: payout.payee.id }))
        if (!runs.has(runId)) return refused(`no run ${runId}`)
        payouts.set(id, stored)
        return recordUndo(() => payouts.delete(id))
      }),
    findById: find,
    lock: find,
    update: (id, change) =>
      Effect.suspend(() => {
        const key = uuidOf(id)
        const before = key === undefined ? undefined : payouts.get(key)
        if (key === undefined || before === undefined) return Effect.void
        const after: Payout = {
          ...before,
          status: change.status ?? before.status,
          gateway: change.gateway ?? before.gateway,
          gatewayReference: change.gatewayReference === undefined ? before.gatewayReference : change.gatewayReference,
          detail: change.detail === undefined ? before.detail : change.detail,
          attempts: change.attempts ?? before.attempts,
          updatedAt: new Date(change.updatedAt.getTime())
        }
        // payouts_one_open_per_payee holds on updates too.
        if (isOpenPayout(after.status) && !isOpenPayout(before.status) && openOf(before.payee, key) !== undefined) return refused(`payee ${before.payee.id} has a payout open`)
        payouts.set(key, after)
        return recordUndo(() => payouts.set(key, before))
      }),
    ofRun: (runId) =>
      Effect.sync(() => {
        const key = uuidOf(runId)
        return [...payouts.values()].filter((payout) => payout.runId === key).sort((left, right) => left.id < right.id ? -1 : 1).map(copyOf)
      }),
    unfinished: (before, limit) =>
      Effect.sync(() =>
        [...payouts.values()]
          .filter((payout) => payout.method === "gateway" && (payout.status === "pending" || payout.status === "sending" || payout.status === "processing") && payout.updatedAt.getTime() < before.getTime())
          .sort((left, right) => left.updatedAt.getTime() - right.updatedAt.getTime() || (left.id < right.id ? -1 : 1))
          .slice(0, limit)
          .map(copyOf)
      ),
    ofPayee: (payee, limit) =>
      Effect.sync(() => {
        const id = uuidOf(payee.id)
        return id === undefined ? [] : [...payouts.values()].filter((payout) => samePayee(payout.payee, { kind: payee.kind, id })).sort((left, right) => left.id < right.id ? 1 : -1).slice(0, limit).map(copyOf)
      })
  })
})
