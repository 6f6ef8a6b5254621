import { Context, Effect, Layer, Option } from "effect"
import { ProviderRepository } from "../catalogue/ProviderRepository.ts"
import { OutboxStore } from "../events/OutboxStore.ts"
import { francs } from "../shared/francs.ts"
import { currentDate } from "../shared/currentDate.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { Transactional } from "../shared/Transactional.ts"
import { type Xof, xof } from "../shared/Xof.ts"
import { GatewayUnavailable } from "../payments/PaymentGateway.ts"
import { requireAdmin } from "../users/setUserRoles.ts"
import type { UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import type { Account, Gateway } from "../wallet/Account.ts"
import { Ledger } from "../wallet/Ledger.ts"
import type { Posting } from "../wallet/LedgerTransaction.ts"
import type { EarningsAdmin } from "./Earnings.ts"
import { PayoutBatchClosed, PayoutPeriodInvalid, PayoutRunNotFound } from "./errors.ts"
import { cashNettingKey, payoutKey, payoutPaidKey, payoutReturnedKey } from "./keys.ts"
import { isOpenPayout, type Payee, type Payout, type PayoutMethod, type PayoutRun } from "./Payout.ts"
import { canBePaid, type PayoutAccount } from "./PayoutAccount.ts"
import { PayoutAccountRepository } from "./PayoutAccountRepository.ts"
import { gatewayAmountStepXof, payoutAmount } from "./payoutAmount.ts"
import { type PayoutClient, PayoutGateways, type PayoutStatus as GatewayPayoutStatus } from "./PayoutGateway.ts"
import { payoutMessages } from "./payoutMessages.ts"
import { PayoutPolicy } from "./PayoutPolicy.ts"
import { PayoutRepository } from "./PayoutRepository.ts"
import { isPayoutDue, nextPayoutCheckInMs } from "./payoutRetry.ts"

/** What a run did: payouts made, and the payees left out, by reason. */
export interface PayoutRunReport {
  readonly run: PayoutRun
  readonly payouts: ReadonlyArray<Payout>
  readonly totalXof: Xof
  /** Payees over the minimum with no confirmed payout number: told nothing, their earnings wait. */
  readonly withoutNumber: number
  /** Payees whose number changed less than the hold ago. */
  readonly held: number
  /** Payees with a payout still open (a run racing this one, or one sent and not final). */
  readonly alreadyOpen: number
  /** Drivers whose earnings went to the cash they held (netting on), in francs. */
  readonly nettedXof: Xof
}

/** Where a gateway payout stands after a step, and when the worker should look again (null: final). */
export interface PayoutStep {
  readonly payout: Payout
  readonly checkAgainInMs: number | null
}

/** A manual batch's period: Abidjan dates (Abidjan is UTC all year), both days included. */
export interface PayoutPeriod {
  readonly from: string
  readonly to: string
}

const dayMs = 86_400_000

/** The instant a period's last day ends (exclusive bound), and its first day's start. */
const periodBounds = (period: PayoutPeriod) => ({
  start: new Date(`${period.from}T00:00:00.000Z`),
  endInclusive: new Date(Date.parse(`${period.to}T00:00:00.000Z`) + dayMs - 1)
})

const payeeOf = (account: Account): Payee | null =>
  account.ownerId === null ? null : account.kind === "provider_earnings" ? { kind: "provider", id: account.ownerId } : account.kind === "driver_earnings" ? { kind: "driver", id: account.ownerId } : null

const payeeKey = (payee: Payee) => `${payee.kind}:${payee.id}`

/**
 * Payouts (issue 13): what NELO owes providers and drivers, paid to their confirmed mobile-money
 * numbers. A run records one payout per payee whose earnings reach the minimum, each with its ledger
 * transaction (earnings → payouts in flight) in the same database transaction, so a payout exists
 * exactly when its money left the earnings. The worker then moves each one `advance` step at a time:
 * sent to Wave (CinetPay when Wave cannot be reached and the payout was never sent), followed until
 * the gateway says it succeeded (payouts in flight → the gateway's clearing) or failed or was
 * reversed (back to the payee's earnings, once). Each step is safe to repeat and to interrupt: the
 * gateways are asked with the payout's id as idempotency key, and the payout is bound to its gateway
 * before the first send, so a worker killed anywhere and started again pays nobody twice.
 *
 * Without a gateway (or by choice) an admin exports a period's batch and pays it by hand, then marks
 * it paid or failed.
 */
const makePayouts = Effect.gen(function*() {
  const ledger = yield* Ledger
  const payouts = yield* PayoutRepository
  const accounts = yield* PayoutAccountRepository
  const gateways = yield* PayoutGateways
  const policy = yield* PayoutPolicy
  const ids = yield* IdGenerator
  const transactional = yield* Transactional
  const outbox = yield* OutboxStore
  const users = yield* UserRepository
  const providers = yield* ProviderRepository

  /** The person told about a payee's payouts: the driver, or the provider's owner. */
  const personOf = (payee: Payee) =>
    Effect.gen(function*() {
      const userId = payee.kind === "driver" ? payee.id : Option.getOrUndefined(yield* providers.findById(payee.id))?.ownerId
      if (userId === undefined) return Option.none()
      return yield* users.findById(userId as UserId)
    }).pipe(Effect.orElseSucceed(() => Option.none()))

  const tell = (payout: Payout, body: string, at: Date) =>
    Effect.gen(function*() {
      const person = yield* personOf(payout.payee)
      if (Option.isNone(person)) return
      yield* outbox.append([{
        id: yield* ids.uuid,
        type: "notification.requested",
        aggregateType: "payout",
        aggregateId: payout.id,
        payload: { channel: "sms", to: person.value.phone, body },
        occurredAt: at.toISOString()
      }])
    })

  const earningsAccountOf = (payee: Payee) => payee.kind === "provider" ? ledger.providerEarningsOf(payee.id) : ledger.driverEarningsOf(payee.id)

  /**
   * One payee's payout of a run, in one database transaction: the cash netted (drivers, netting on),
   * the payout recorded and its money moved to payouts in flight. The amount is computed from the
   * earnings as they stand under the ledger's lock (the guard refuses the post if a refund took them
   * below it since the read): a payout never pays more than the earnings hold.
   */
  const makeOne = (run: PayoutRun, account: PayoutAccount, earnings: Account, limitXof: Xof, orderCount: number) =>
    transactional.run(Effect.gen(function*() {
      const now = yield* currentDate
      const state = yield* ledger.stateOf(earnings.id)
      const cashHeldXof = run.method === "gateway" && account.payee.kind === "driver" && policy.netCashAtPayout
        ? (yield* ledger.cashHeldBy([account.payee.id])).get(account.payee.id) ?? 0
        : 0
      const { nettedXof, paidXof } = payoutAmount({
        earningsXof: Math.min(state.balanceXof, limitXof),
        cashHeldXof,
        netCash: policy.netCashAtPayout && account.payee.kind === "driver" && run.method === "gateway",
        minimumXof: policy.minimumXof,
        stepXof: run.method === "gateway" ? gatewayAmountStepXof : 1
      })
      if (nettedXof > 0) {
        yield* ledger.post<never>({
          transaction: {
            id: yield* ids.uuid,
            type: "cash_collection",
            idempotencyKey: cashNettingKey(run.id, account.payee.id),
            postings: [{ accountId: earnings.id, amountXof: xof(0 - nettedXof) }, { accountId: (yield* ledger.cashInHandOf(account.payee.id)).id, amountXof: nettedXof }],
            cause: { kind: "system", id: "payout-run" },
            reversesId: null,
            note: "Espèces détenues compensées sur les gains",
            reference: null,
            createdAt: now
          }
        }).pipe(Effect.catchTags({ InsufficientFunds: Effect.die, BalanceOutOfRange: Effect.die }))
      }
      if (paidXof === 0) return { payout: null, nettedXof }
      const payout: Payout = {
        id: yield* ids.uuid,
        runId: run.id,
        payee: account.payee,
        amountXof: paidXof,
        mobile: account.mobile!,
        holderName: account.holderName,
        method: run.method,
        gateway: null,
        status: run.method === "gateway" ? "pending" : "exported",
        gatewayReference: null,
        detail: null,
        attempts: 0,
        orderCount,
        createdAt: now,
        updatedAt: now
      }
      yield* payouts.create(payout)
      const inFlight = yield* ledger.payoutsInFlight
      yield* ledger.post({
        transaction: {
          id: yield* ids.uuid,
          type: "payout",
          idempotencyKey: payoutKey(payout.id),
          postings: [{ accountId: earnings.id, amountXof: xof(0 - paidXof) }, { accountId: inFlight.id, amountXof: paidXof }],
          cause: { kind: "system", id: run.method === "gateway" ? "payout-run" : "payout-export" },
          reversesId: null,
          note: null,
          reference: payout.id,
          createdAt: now
        },
        // Read under the earnings' lock: a refund charged since the read above took them lower.
        guard: (locked) => (locked.accounts.get(earnings.id)?.balanceXof ?? 0) < paidXof ? "short" as const : undefined
      }).pipe(Effect.catchTags({
        InsufficientFunds: Effect.die,
        BalanceOutOfRange: Effect.die
      }))
      return { payout, nettedXof }
    })).pipe(
      // Lower since the read (a refund raced): skipped this run, paid the next one.
      Effect.catchIf((error): error is "short" => error === "short", () => Effect.succeed({ payout: null, nettedXof: xof(0) }))
    )

  /**
   * Makes a run's payouts: every earnings account at or over the minimum (limited, for a manual
   * batch, to what it held at the period's end) whose payee has a confirmed number with no hold.
   */
  const fill = (run: PayoutRun, bounds: { readonly start: Date; readonly endInclusive: Date } | null) =>
    Effect.gen(function*() {
      const now = yield* currentDate
      const candidates = yield* ledger.earningsToPay({ minimumXof: policy.minimumXof, at: bounds?.endInclusive ?? null, countFrom: bounds?.start ?? null })
      const payable = candidates.flatMap((candidate) => {
        const payee = payeeOf(candidate.account)
        return payee === null ? [] : [{ ...candidate, payee }]
      })
      const known = new Map((yield* accounts.findMany(payable.map((candidate) => candidate.payee))).map((account) => [payeeKey(account.payee), account]))
      let withoutNumber = 0
      let held = 0
      let alreadyOpen = 0
      let nettedXof = 0
      const made: Array<Payout> = []
      const ready = payable.filter((candidate) => {
        const account = known.get(payeeKey(candidate.payee))
        if (account === undefined || account.mobile === null) {
          withoutNumber++
          return false
        }
        if (!canBePaid(account, now)) {
          held++
          return false
        }
        return true
      })
      yield* Effect.forEach(ready, (candidate) =>
        makeOne(run, known.get(payeeKey(candidate.payee))!, candidate.account, bounds === null ? candidate.balanceXof : candidate.balanceAtXof, candidate.settlementCount).pipe(
          Effect.map((outcome) => {
            nettedXof += outcome.nettedXof
            if (outcome.payout !== null) made.push(outcome.payout)
          }),
          Effect.catchTag("PayoutAlreadyOpen", () => Effect.sync(() => void alreadyOpen++))
        ), { concurrency: 8, discard: true })
      made.sort((left, right) => left.id < right.id ? -1 : 1)
      return {
        run,
        payouts: made,
        totalXof: xof(made.reduce((sum, payout) => sum + payout.amountXof, 0)),
        withoutNumber,
        held,
        alreadyOpen,
        nettedXof: xof(nettedXof)
      } satisfies PayoutRunReport
    })

  const clientOf = (gateway: Gateway): PayoutClient | undefined => gateways[gateway]

  /**
   * Closes a payout the gateway or an admin settled, once: under its lock, if still open. succeeded /
   * paid: payouts in flight → the gateway's clearing (or the office's cash). failed / reversed (seen
   * before success): back to the payee's earnings.
   */
  const close = (payoutId: string, outcome: { readonly status: "succeeded" | "paid" | "failed" | "reversed"; readonly detail: string | null; readonly gatewayReference?: string | null; readonly via?: Gateway | "office" }, cause: { readonly kind: "system" | "admin"; readonly id: string }) =>
    transactional.run(Effect.gen(function*() {
      const locked = yield* payouts.lock(payoutId)
      if (Option.isNone(locked)) return Option.none<Payout>()
      const payout = locked.value
      if (!isOpenPayout(payout.status)) return Option.some(payout)
      const now = yield* currentDate
      const inFlight = yield* ledger.payoutsInFlight
      const via = outcome.via ?? payout.gateway ?? "wave"
      const paidTo = via === "office" ? yield* ledger.officeCash : yield* ledger.clearingOf(via)
      const paying = outcome.status === "succeeded" || outcome.status === "paid"
      const postings: ReadonlyArray<Posting> = paying
        ? [{ accountId: inFlight.id, amountXof: xof(0 - payout.amountXof) }, { accountId: paidTo.id, amountXof: payout.amountXof }]
        : [{ accountId: inFlight.id, amountXof: xof(0 - payout.amountXof) }, { accountId: (yield* earningsAccountOf(payout.payee)).id, amountXof: payout.amountXof }]
      yield* payouts.update(payout.id, {
        status: outcome.status,
        ...(outcome.gatewayReference !== undefined ? { gatewayReference: outcome.gatewayReference } : {}),
        detail: outcome.detail,
        updatedAt: now
      })
      const closed: Payout = { ...payout, status: outcome.status, detail: outcome.detail, updatedAt: now, gatewayReference: outcome.gatewayReference ?? payout.gatewayReference }
      yield* tell(closed, paying ? payoutMessages.paid(closed) : payoutMessages.returned(closed), now)
      // The post last: it locks accounts every payout shares (payouts in flight, the gateway's
      // clearing) until the commit, so nothing else runs while they are held. Same transaction, so
      // the same all-or-nothing as in any order.
      yield* ledger.post<never>({
        transaction: {
          id: yield* ids.uuid,
          type: "payout",
          idempotencyKey: paying ? payoutPaidKey(payout.id) : payoutReturnedKey(payout.id),
          postings,
          cause,
          reversesId: null,
          note: outcome.detail,
          reference: payout.gatewayReference ?? outcome.gatewayReference ?? payout.id,
          createdAt: now
        }
      }).pipe(Effect.catchTags({ InsufficientFunds: Effect.die, BalanceOutOfRange: Effect.die }))
      yield* Effect.logInfo(`payout ${outcome.status}`).pipe(Effect.annotateLogs({ payoutId: payout.id, amountXof: payout.amountXof, gateway: payout.gateway }))
      return Option.some(closed)
    }))

  /** Records what the gateway said and decides what comes next. */
  const record = (payout: Payout, gateway: Gateway, status: GatewayPayoutStatus) =>
    Effect.gen(function*() {
      const attempts = payout.attempts + 1
      if (status.state === "succeeded" || status.state === "failed" || status.state === "reversed") {
        const closed = yield* close(payout.id, { status: status.state, detail: status.detail, gatewayReference: status.gatewayReference, via: gateway }, { kind: "system", id: "payout-worker" })
        return { payout: Option.getOrElse(closed, () => payout), checkAgainInMs: null } satisfies PayoutStep
      }
      const now = yield* currentDate
      const next = status.state === "processing" ? "processing" as const : "sending" as const
      yield* payouts.update(payout.id, { status: next, gateway, gatewayReference: status.gatewayReference ?? payout.gatewayReference, attempts, updatedAt: now })
      return { payout: { ...payout, status: next, gateway, attempts, updatedAt: now }, checkAgainInMs: nextPayoutCheckInMs(attempts) } satisfies PayoutStep
    })

  /** Asks the gateway a payout is bound to about it again: a read when it was accepted, else the same send. */
  const sendTo = (payout: Payout, client: PayoutClient) =>
    client.send({ payoutId: payout.id, amountXof: payout.amountXof, mobile: payout.mobile, name: payout.holderName, reason: payoutMessages.reason(payout) })

  /**
   * Asks the gateway a payout is bound to about it: read first, sent again (same id) only when the
   * gateway has no such payout. Never a second send of one it has: an idempotency key may not be
   * kept for ever. A refused read (a reference it no longer shows, a key mix-up) says nothing of the
   * payout: never a failure that would give its money back, tried again later.
   */
  const askBound = (payout: Payout, client: PayoutClient) =>
    Effect.gen(function*() {
      const status = yield* client.statusOf({ payoutId: payout.id, gatewayReference: payout.gatewayReference }).pipe(
        Effect.catchTag("GatewayRefused", (refused) => Effect.fail(new GatewayUnavailable({ gateway: refused.gateway, detail: `status read refused: ${refused.detail}` })))
      )
      return status.state !== "unknown" ? status : yield* sendTo(payout, client)
    })

  /**
   * Binds a payout never sent to the gateway that will pay it, then sends it. Wave first; it is asked
   * whether it knows the payout (a read, which also finds one a crash left unrecorded). Only when
   * that read cannot reach Wave does CinetPay take it, after the same check there: a payout goes to
   * one gateway only, so a Wave that was down cannot pay it later as well.
   */
  const bindAndSend = (payout: Payout) =>
    Effect.gen(function*() {
      const order = (["wave", "cinetpay"] as const).flatMap((gateway) => {
        const client = clientOf(gateway)
        return client === undefined ? [] : [client]
      })
      for (const client of order) {
        // Unbound, the payout was never sent anywhere: this read only says whether the gateway
        // answers. One that cannot (down, or refusing our key) is passed over for the next.
        const known = yield* client.statusOf({ payoutId: payout.id, gatewayReference: null }).pipe(Effect.result)
        if (known._tag === "Failure") {
          yield* Effect.logWarning("payout gateway not answering: trying the next").pipe(Effect.annotateLogs({ payoutId: payout.id, gateway: client.gateway, detail: known.failure.detail }))
          continue
        }
        const now = yield* currentDate
        // Bound before the send: killed during it, the next step asks this gateway again.
        yield* payouts.update(payout.id, { status: "sending", gateway: client.gateway, attempts: payout.attempts + 1, updatedAt: now })
        const bound: Payout = { ...payout, status: "sending", gateway: client.gateway, attempts: payout.attempts + 1, updatedAt: now }
        const status = known.success.state === "unknown" ? yield* sendTo(bound, client) : known.success
        return yield* record(bound, client.gateway, status)
      }
      // No gateway answered (or none is configured any more): the payout waits, unbound, for the next try.
      const attempts = payout.attempts + 1
      yield* payouts.update(payout.id, { attempts, updatedAt: yield* currentDate })
      return { payout: { ...payout, attempts }, checkAgainInMs: nextPayoutCheckInMs(attempts) } satisfies PayoutStep
    })

  /** A gateway that refused a payout outright: it failed, its money back to the earnings. */
  const refused = (payout: Payout, detail: string) =>
    Effect.map(close(payout.id, { status: "failed", detail }, { kind: "system", id: "payout-worker" }), (closed) => ({ payout: Option.getOrElse(closed, () => payout), checkAgainInMs: null }) satisfies PayoutStep)

  /**
   * One step of a gateway payout: sends it, or asks again, and closes it once final. Idempotent: a
   * step repeated, early, late or after a crash does nothing wrong. A gateway that cannot be reached
   * leaves it as it was, to be tried again later (checkAgainInMs).
   */
  const advance = Effect.fn("Payouts.advance")(function*(payoutId: string) {
    const found = yield* payouts.findById(payoutId)
    if (Option.isNone(found)) return Option.none<PayoutStep>()
    const payout = found.value
    if (payout.method !== "gateway" || !isOpenPayout(payout.status)) return Option.some({ payout, checkAgainInMs: null } satisfies PayoutStep)
    const step = payout.gateway === null
      ? bindAndSend(payout)
      : Effect.gen(function*() {
        const client = clientOf(payout.gateway!)
        // Its gateway's credentials removed since: it stays bound (never sent elsewhere); an admin sees it open.
        if (client === undefined) return { payout, checkAgainInMs: nextPayoutCheckInMs(payout.attempts + 1) } satisfies PayoutStep
        return yield* record(payout, client.gateway, yield* askBound(payout, client))
      })
    return Option.some(yield* step.pipe(
      Effect.catchTag("GatewayRefused", (refusal) => refused(payout, refusal.detail)),
      Effect.catchTag("GatewayUnavailable", (outage) =>
        Effect.gen(function*() {
          const attempts = payout.attempts + 1
          // Its status and gateway as the step left them (bound and sending, it may have reached the gateway).
          yield* payouts.update(payout.id, { attempts, updatedAt: yield* currentDate })
          yield* Effect.logWarning("payout gateway unavailable: will try again").pipe(Effect.annotateLogs({ payoutId, gateway: outage.gateway, detail: outage.detail }))
          const now = Option.getOrElse(yield* payouts.findById(payoutId), () => ({ ...payout, attempts }))
          return { payout: now, checkAgainInMs: nextPayoutCheckInMs(attempts) } satisfies PayoutStep
        }))
    ))
  })

  const newRun = (method: PayoutMethod, startedBy: string, period: PayoutPeriod | null) =>
    Effect.gen(function*() {
      const run: PayoutRun = { id: yield* ids.uuid, method, periodFrom: period?.from ?? null, periodTo: period?.to ?? null, startedBy, createdAt: yield* currentDate }
      yield* payouts.createRun(run)
      return run
    })

  const checkPeriod = (period: PayoutPeriod) =>
    Effect.gen(function*() {
      const bounds = periodBounds(period)
      if (bounds.start.getTime() > bounds.endInclusive.getTime()) return yield* new PayoutPeriodInvalid({ reason: "start_after_end" })
      if ((bounds.endInclusive.getTime() + 1 - bounds.start.getTime()) / dayMs > policy.maximumPeriodDays) return yield* new PayoutPeriodInvalid({ reason: "too_long" })
      // A batch pays a period that is over: a day still running would leave out what it earns later.
      if (bounds.endInclusive.getTime() >= (yield* currentDate).getTime()) return yield* new PayoutPeriodInvalid({ reason: "in_the_future" })
      return bounds
    })

  /** A batch's open payouts, all or those of these payees (ids in any case, as an admin types them). */
  const chosenOf = (open: ReadonlyArray<Payout>, payeeIds: ReadonlyArray<string> | null) => {
    if (payeeIds === null) return open
    const wanted = new Set(payeeIds.map((id) => id.toLowerCase()))
    return open.filter((payout) => wanted.has(payout.payee.id.toLowerCase()))
  }

  const manualRun = (admin: EarningsAdmin, runId: string) =>
    Effect.gen(function*() {
      yield* requireAdmin(admin)
      const run = yield* payouts.findRun(runId)
      if (Option.isNone(run) || run.value.method !== "manual") return yield* new PayoutRunNotFound()
      const open = (yield* payouts.ofRun(runId)).filter((payout) => payout.status === "exported")
      if (open.length === 0) return yield* new PayoutBatchClosed()
      return open
    })

  return {
    advance,

    /**
     * A gateway run (the schedule's, or an admin's from the CLI): the payouts made, for the worker
     * to send. Without any gateway configured nothing is made: payouts are exported by hand then.
     */
    startRun: Effect.fn("Payouts.startRun")(function*(startedBy: string) {
      if (gateways.wave === undefined && gateways.cinetpay === undefined) return Option.none<PayoutRunReport>()
      return Option.some(yield* fill(yield* newRun("gateway", startedBy, null), null))
    }),

    /**
     * The gateway payouts due for their next step (never tried, or their back-off over), oldest
     * change first, at most `limit`: the worker's sweep advances them. Everything it needs is in the
     * store, so a worker killed anywhere loses nothing: the next sweep finds what it left.
     */
    due: Effect.fn("Payouts.due")(function*(limit: number) {
      const now = yield* currentDate
      const unfinished = yield* payouts.unfinished(now, limit * 4)
      return unfinished.filter((payout) => isPayoutDue(payout, now)).slice(0, limit)
    }),

    /**
     * A period's manual batch: what each payee with a confirmed number was owed at its end (never more
     * than they are owed now), recorded as exported payouts. The same period exported again returns
     * the same batch, as it stands.
     */
    exportBatch: Effect.fn("Payouts.exportBatch")(function*(admin: EarningsAdmin, period: PayoutPeriod) {
      yield* requireAdmin(admin)
      const bounds = yield* checkPeriod(period)
      const existingBatch = Effect.gen(function*() {
        const existing = yield* payouts.findManualRun(period.from, period.to)
        if (Option.isNone(existing)) return Option.none<{ readonly report: PayoutRunReport; readonly existed: boolean }>()
        const made = yield* payouts.ofRun(existing.value.id)
        return Option.some({
          report: { run: existing.value, payouts: made, totalXof: xof(made.reduce((sum, payout) => sum + payout.amountXof, 0)), withoutNumber: 0, held: 0, alreadyOpen: 0, nettedXof: xof(0) } satisfies PayoutRunReport,
          existed: true
        })
      })
      const found = yield* existingBatch
      if (Option.isSome(found)) return found.value
      const run = yield* newRun("manual", admin.userId, period).pipe(Effect.result)
      if (run._tag === "Failure") {
        // Another export of the period recorded its batch between the look above and this one: it is
        // the period's batch, read back as a second export would (its payouts may still be being made).
        if (run.failure._tag !== "PayoutBatchExists") return yield* run.failure
        return Option.getOrThrowWith(yield* existingBatch, () => new Error("the period's batch exists, yet cannot be read"))
      }
      return { report: yield* fill(run.success, bounds), existed: false }
    }),

    /** A manual batch paid by hand: its exported payouts (all, or those of `payeeIds`) closed as paid. */
    markPaid: Effect.fn("Payouts.markPaid")(function*(admin: EarningsAdmin, runId: string, options: { readonly reference: string | null; readonly via: Gateway | "office"; readonly payeeIds: ReadonlyArray<string> | null }) {
      const open = yield* manualRun(admin, runId)
      const chosen = chosenOf(open, options.payeeIds)
      return yield* Effect.forEach(chosen, (payout) =>
        Effect.map(close(payout.id, { status: "paid", detail: options.reference, via: options.via }, { kind: "admin", id: admin.userId }), Option.getOrElse(() => payout)), { concurrency: 4 })
    }),

    /** A manual batch (or some of its payees) not paid: the money back to their earnings. */
    markFailed: Effect.fn("Payouts.markFailed")(function*(admin: EarningsAdmin, runId: string, options: { readonly reason: string; readonly payeeIds: ReadonlyArray<string> | null }) {
      const open = yield* manualRun(admin, runId)
      const chosen = chosenOf(open, options.payeeIds)
      return yield* Effect.forEach(chosen, (payout) =>
        Effect.map(close(payout.id, { status: "failed", detail: options.reason }, { kind: "admin", id: admin.userId }), Option.getOrElse(() => payout)), { concurrency: 4 })
    }),

    /** A run's payouts, for an admin. */
    runOf: Effect.fn("Payouts.runOf")(function*(admin: EarningsAdmin, runId: string) {
      yield* requireAdmin(admin)
      const run = yield* payouts.findRun(runId)
      if (Option.isNone(run)) return yield* new PayoutRunNotFound()
      return { run: run.value, payouts: yield* payouts.ofRun(runId) }
    })
  }
})

export class Payouts extends Context.Service<Payouts>()("nelo/earnings/Payouts", { make: makePayouts }) {
  static readonly layer = Layer.effect(Payouts, Payouts.make)
}
