import { Context, Effect, Layer, Option } from "effect"
import { ProviderRepository } from "../catalogue/ProviderRepository.ts"
import { DeliveryRepository } from "../deliveries/DeliveryRepository.ts"
import { DriverRepository } from "../deliveries/DriverRepository.ts"
import type { Order } from "../orders/Order.ts"
import { OrderRepository } from "../orders/OrderRepository.ts"
import { currentDate } from "../shared/currentDate.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { type BasisPoints, xof } from "../shared/Xof.ts"
import type { Role } from "../users/User.ts"
import { requireAdmin } from "../users/setUserRoles.ts"
import { Ledger } from "../wallet/Ledger.ts"
import type { Posting } from "../wallet/LedgerTransaction.ts"
import type { RateParty } from "./CommissionRate.ts"
import { CommissionRateRepository } from "./CommissionRateRepository.ts"
import { EarningsPolicy } from "./EarningsPolicy.ts"
import { RateNotRetroactive, RatePartyNotFound, SettlementRefused } from "./errors.ts"
import { settlementKey } from "./keys.ts"
import { SettlementRecordStore } from "./SettlementRecord.ts"
import { makeAdminRefund, makeRefundsOf, type WrittenRefund } from "./refundOrder.ts"
import { type SettlementSplit, splitSettlement } from "./splitSettlement.ts"
import { Transactional } from "../shared/Transactional.ts"

export { settlementKey } from "./keys.ts"

/**
 * settled: written now. already_settled: written before (a replayed event, a second back-fill).
 * not_delivered: no such order, or not delivered (yet, or ever): nothing to settle.
 * nothing_to_settle: delivered, but every share is 0 (a fully discounted order whose commissions
 * ate the rest): a ledger transaction cannot be empty, so none is written.
 */
export type SettleOutcome = "settled" | "already_settled" | "not_delivered" | "nothing_to_settle"

/** What a back-fill did: delivered orders read, and what became of them. */
export interface BackfillReport {
  readonly examined: number
  readonly settled: number
  readonly alreadySettled: number
  readonly nothingToSettle: number
  /** Orders that could not be settled (SettlementRefused): left for an admin, the run goes on. */
  readonly refused: ReadonlyArray<SettlementRefused>
}

/** An administrator acting: the admin role is checked here. */
export interface EarningsAdmin {
  readonly userId: string
  readonly roles: ReadonlyArray<Role>
}

/**
 * Earnings (issue 13): a delivered order's escrow settled to its provider's and driver's earnings
 * and the platform's revenue, at the commission rates in force when it was placed (the default,
 * or the party's override then); and the overrides an admin sets.
 *
 * Settlement is one ledger transaction keyed on the order, so however often it is asked (the
 * `order.delivered` event relayed twice, the back-fill run again, both at once) it is written once.
 * Every payment method settles alike: a cash order's escrow holds its total from the handover on
 * (Deliveries.complete posts the driver's cash in hand against it), so the ledger then shows what
 * the driver owes NELO (his cash in hand) beside what NELO owes him and the provider.
 */
/** A split less the refunds made before the settlement, each from its responsible party's share: it still sums to what is left in escrow. */
/** What the refunds made before settlement charge to one party. */
const chargedTo = (refunds: ReadonlyArray<WrittenRefund>, party: "provider" | "driver" | "platform") =>
  xof(refunds.reduce((sum, refund) => refund.responsible === party ? sum + refund.amountXof : sum, 0))

const chargeRefunds = (split: SettlementSplit, refunds: ReadonlyArray<WrittenRefund>): SettlementSplit => {
  const charged = (party: "provider" | "driver" | "platform") => chargedTo(refunds, party)
  return {
    ...split,
    providerXof: xof(split.providerXof - charged("provider")),
    driverXof: xof(split.driverXof - charged("driver")),
    platformXof: xof(split.platformXof - charged("platform"))
  }
}

const makeEarnings = Effect.gen(function*() {
  const orders = yield* OrderRepository
  const deliveries = yield* DeliveryRepository
  const ledger = yield* Ledger
  const rates = yield* CommissionRateRepository
  const policy = yield* EarningsPolicy
  const ids = yield* IdGenerator
  const providers = yield* ProviderRepository
  const drivers = yield* DriverRepository
  const transactional = yield* Transactional
  const refundsOf = yield* makeRefundsOf
  const refund = yield* makeAdminRefund
  const settlementRecords = yield* SettlementRecordStore

  const rateAt = (party: RateParty, at: Date, fallback: BasisPoints) => Effect.map(rates.rateAt(party, at), Option.getOrElse(() => fallback))

  /** The split of a delivered order, at the rates in force when it was placed (never those of today). */
  const splitOf = (order: Order, driverId: string) =>
    Effect.map(
      Effect.all([
        rateAt({ kind: "provider", id: order.providerId }, order.createdAt, policy.providerCommissionBasisPoints),
        rateAt({ kind: "driver", id: driverId }, order.createdAt, policy.driverCommissionBasisPoints)
      ], { concurrency: "unbounded" }),
      ([providerBasisPoints, driverBasisPoints]) => ({
        providerBasisPoints,
        driverBasisPoints,
        split: splitSettlement({
          subtotalXof: order.totals.subtotalXof,
          deliveryFeeXof: order.totals.deliveryFeeXof,
          discountXof: order.totals.discountXof,
          discountFundedBy: order.promotion?.fundedBy ?? null,
          providerBasisPoints,
          driverBasisPoints
        })
      })
    )

  /** Escrow out, the three shares in; zero postings left out (the ledger refuses them). Sums to zero: the split conserves the total. */
  const postingsOf = (order: Order, driverId: string, split: SettlementSplit, refundedXof: number) =>
    Effect.map(
      Effect.all([ledger.escrowOf(order.providerId), ledger.providerEarningsOf(order.providerId), ledger.driverEarningsOf(driverId), ledger.platformRevenue], { concurrency: "unbounded" }),
      ([escrow, providerEarnings, driverEarnings, revenue]): ReadonlyArray<Posting> =>
        [
          // Subtracted from 0, not negated: a total of 0 gives 0, not -0.
          { accountId: escrow.id, amountXof: xof(refundedXof - order.totals.totalXof) },
          { accountId: providerEarnings.id, amountXof: split.providerXof },
          { accountId: driverEarnings.id, amountXof: split.driverXof },
          { accountId: revenue.id, amountXof: split.platformXof }
        ].filter((posting) => posting.amountXof !== 0)
    )

  const settle = Effect.fn("Earnings.settle")(function*(orderId: string) {
    // The common replay answered without a transaction nor a lock.
    if (Option.isSome(yield* ledger.findByKey(settlementKey(orderId)))) return "already_settled" as SettleOutcome
    // Under the order's lock, as an admin refund: a refund racing the settlement either came first
    // (the settlement below sees it and splits what is left) or comes after (it sees the settlement
    // and charges the responsible party's earnings). Never both from the escrow.
    return yield* transactional.run(settleLocked(orderId))
  })

  const settleLocked = (orderId: string) => Effect.gen(function*() {
    const found = yield* orders.lock(orderId)
    // Delivered is final: once read so, nothing can change the figures settled below.
    if (Option.isNone(found) || found.value.status !== "delivered") return "not_delivered" as SettleOutcome
    const order = found.value
    const key = settlementKey(order.id)
    if (Option.isSome(yield* ledger.findByKey(key))) return "already_settled" as SettleOutcome
    // Only the handover of its delivery (Deliveries.complete, or completeByAdmin for the driver)
    // delivers an order, so a delivered order has its delivery and its driver. Missing, the data is
    // broken: refused rather than guessing where the fee goes (giving it to the platform would hide
    // the break, and be a reversal to write once it is mended).
    const delivery = yield* deliveries.findByOrder(order.id)
    const driverId = Option.isSome(delivery) ? delivery.value.driverId : null
    if (driverId === null) return yield* new SettlementRefused({ orderId: order.id, reason: "no_driver" })
    // Refunds made before the settlement left the escrow already: the settlement moves what is
    // left, each refund charged to its responsible party's share (which may go negative).
    const refunds = yield* refundsOf(order.id)
    const priced = yield* splitOf(order, driverId)
    const split = chargeRefunds(priced.split, refunds)
    const refundedXof = refunds.reduce((sum, refund) => sum + refund.amountXof, 0)
    const postings = yield* postingsOf(order, driverId, split, refundedXof)
    if (postings.length === 0) return "nothing_to_settle" as SettleOutcome
    const posted = yield* ledger.post<never>({
      transaction: {
        id: yield* ids.uuid,
        type: "commission",
        idempotencyKey: key,
        postings,
        cause: { kind: "system", id: "settlement" },
        reversesId: null,
        note: null,
        reference: order.reference,
        createdAt: yield* currentDate
      }
    }).pipe(
      Effect.catchTags({
        // The provider's escrow holds every order of his in progress: short of this one's total, money is missing.
        InsufficientFunds: () => Effect.fail(new SettlementRefused({ orderId: order.id, reason: "escrow_short" })),
        // Shares are parts of a safe total: no balance they reach is out of range but by a bug.
        BalanceOutOfRange: Effect.die
      })
    )
    if (!posted.replayed) {
      // What the split was, for statements (the ledger keeps each party's net only): in the same
      // Transactional run as the post, so a settlement never lacks its record.
      yield* settlementRecords.record({
        orderId: order.id,
        reference: order.reference,
        providerId: order.providerId,
        driverId,
        transactionId: posted.transaction.id,
        settledAt: posted.transaction.createdAt,
        subtotalXof: order.totals.subtotalXof,
        deliveryFeeXof: order.totals.deliveryFeeXof,
        discountXof: order.totals.discountXof,
        discountFundedBy: order.totals.discountXof > 0 ? order.promotion?.fundedBy ?? null : null,
        providerBasisPoints: priced.providerBasisPoints,
        driverBasisPoints: priced.driverBasisPoints,
        providerCommissionXof: split.providerCommissionXof,
        driverCommissionXof: split.driverCommissionXof,
        providerRefundsXof: chargedTo(refunds, "provider"),
        driverRefundsXof: chargedTo(refunds, "driver"),
        platformRefundsXof: chargedTo(refunds, "platform"),
        providerNetXof: split.providerXof,
        driverNetXof: split.driverXof,
        platformNetXof: split.platformXof
      })
      yield* Effect.logInfo("order settled").pipe(Effect.annotateLogs({
        orderId: order.id,
        providerXof: split.providerXof,
        driverXof: split.driverXof,
        platformXof: split.platformXof,
        refundedXof
      }))
    }
    return (posted.replayed ? "already_settled" : "settled") as SettleOutcome
  })

  return {
    settle,

    /** An admin refunds a delivered order, in full or in part (see makeAdminRefund). */
    refund,

    /**
     * The back-fill: every delivered order without its settlement (delivered before settlement
     * existed, or whose event was lost) settled, a page of `batchSize` ids at a time, in id order.
     * Run again, it settles nothing twice. A refused order is reported and skipped; a store that
     * fails stops the run (run it again: what was settled stays settled).
     */
    settleDelivered: Effect.fn("Earnings.settleDelivered")(function*(batchSize: number) {
      const pageSize = Math.max(1, Math.floor(batchSize))
      let afterId: string | null = null
      let examined = 0
      let settled = 0
      let alreadySettled = 0
      let nothingToSettle = 0
      const refused: Array<SettlementRefused> = []
      for (;;) {
        const page: ReadonlyArray<string> = yield* orders.deliveredAfter(afterId, pageSize)
        if (page.length === 0) break
        // One read for the page's keys: a back-fill run again skips settled orders without reading them.
        const written = yield* ledger.writtenKeys(page.map(settlementKey))
        const outcomes = yield* Effect.forEach(
          page.filter((orderId) => !written.has(settlementKey(orderId))),
          (orderId) => settle(orderId).pipe(Effect.catchTag("SettlementRefused", (refusal) => Effect.succeed(refusal))),
          // A few at once: each is a short transaction, under its provider's escrow lock.
          { concurrency: 4 }
        )
        examined += page.length
        alreadySettled += written.size
        for (const outcome of outcomes) {
          if (typeof outcome !== "string") refused.push(outcome)
          else if (outcome === "settled") settled++
          else if (outcome === "already_settled") alreadySettled++
          else if (outcome === "nothing_to_settle") nothingToSettle++
        }
        afterId = page.at(-1)!
        if (page.length < pageSize) break
      }
      return { examined, settled, alreadySettled, nothingToSettle, refused } satisfies BackfillReport
    }),

    /**
     * An admin sets a provider's or a driver's commission from `effectiveFrom` (null: now) on.
     * Never in the past: orders already placed keep the rate they were placed under, settled or not.
     */
    setRate: Effect.fn("Earnings.setRate")(function*(admin: EarningsAdmin, party: RateParty, rate: BasisPoints, effectiveFrom: Date | null) {
      yield* requireAdmin(admin)
      const now = yield* currentDate
      const from = effectiveFrom ?? now
      if (from.getTime() < now.getTime()) return yield* new RateNotRetroactive({ effectiveFrom: from, now })
      const exists = party.kind === "provider" ? Effect.map(providers.findById(party.id), Option.isSome) : Effect.map(drivers.findById(party.id), Option.isSome)
      if (!(yield* exists)) return yield* new RatePartyNotFound({ kind: party.kind })
      return yield* rates.setRate(party, rate, from, admin.userId, now)
    }),

    /** A party's overrides, in the order they take effect, and the default they override. */
    ratesOf: Effect.fn("Earnings.ratesOf")(function*(admin: EarningsAdmin, party: RateParty) {
      yield* requireAdmin(admin)
      return {
        defaultBasisPoints: party.kind === "provider" ? policy.providerCommissionBasisPoints : policy.driverCommissionBasisPoints,
        overrides: yield* rates.history(party)
      }
    })
  }
})

export class Earnings extends Context.Service<Earnings>()("nelo/earnings/Earnings", { make: makeEarnings }) {
  static readonly layer = Layer.effect(Earnings, Earnings.make)
}
