import { Context, type Effect, type Stream } from "effect"
import type { PromotionFunder } from "../orders/Order.ts"
import type { BasisPoints, Xof } from "../shared/Xof.ts"
import type { EarningsUnavailable } from "./errors.ts"

/**
 * What a settlement split, kept beside its ledger transaction (same database transaction): the
 * ledger holds only each party's net, a statement shows how it was reached (gross, commission,
 * discount, refunds charged before the settlement). Written once per order, never changed.
 */
export interface SettlementRecord {
  readonly orderId: string
  readonly reference: string
  readonly providerId: string
  readonly driverId: string
  /** The settlement's ledger transaction (`order-settlement:<orderId>`). */
  readonly transactionId: string
  /** The ledger transaction's createdAt: a statement's period reads both alike. */
  readonly settledAt: Date
  readonly subtotalXof: Xof
  readonly deliveryFeeXof: Xof
  readonly discountXof: Xof
  readonly discountFundedBy: PromotionFunder | null
  readonly providerBasisPoints: BasisPoints
  readonly driverBasisPoints: BasisPoints
  readonly providerCommissionXof: Xof
  readonly driverCommissionXof: Xof
  /** Refunds made before the settlement, charged to each party's share. */
  readonly providerRefundsXof: Xof
  readonly driverRefundsXof: Xof
  readonly platformRefundsXof: Xof
  /** What the settlement posted to each (0: no posting). */
  readonly providerNetXof: Xof
  readonly driverNetXof: Xof
  readonly platformNetXof: Xof
}

/** A provider or a driver (a driver's user id). */
export interface StatementParty {
  readonly kind: "provider" | "driver"
  readonly id: string
}

/** Sums over a party's records, by column: the domain reads the party's figures from them. */
export interface SettlementSums {
  readonly count: number
  readonly subtotalXof: Xof
  readonly deliveryFeeXof: Xof
  readonly providerCommissionXof: Xof
  readonly driverCommissionXof: Xof
  readonly providerFundedDiscountXof: Xof
  readonly platformFundedDiscountXof: Xof
  readonly providerRefundsXof: Xof
  readonly driverRefundsXof: Xof
  readonly platformRefundsXof: Xof
  readonly providerNetXof: Xof
  readonly driverNetXof: Xof
  readonly platformNetXof: Xof
}

export const emptySums: SettlementSums = {
  count: 0,
  subtotalXof: 0 as Xof,
  deliveryFeeXof: 0 as Xof,
  providerCommissionXof: 0 as Xof,
  driverCommissionXof: 0 as Xof,
  providerFundedDiscountXof: 0 as Xof,
  platformFundedDiscountXof: 0 as Xof,
  providerRefundsXof: 0 as Xof,
  driverRefundsXof: 0 as Xof,
  platformRefundsXof: 0 as Xof,
  providerNetXof: 0 as Xof,
  driverNetXof: 0 as Xof,
  platformNetXof: 0 as Xof
}

/**
 * The settlements' records. Primitive reads: the records of some ledger transactions, sums over a
 * party's records of a period, and a period's records in order; what they mean is the domain's.
 */
export class SettlementRecordStore extends Context.Service<SettlementRecordStore, {
  /** Writes the record; a second record of the same order is ignored (the settlement is written once). */
  readonly record: (record: SettlementRecord) => Effect.Effect<void, EarningsUnavailable>
  /** The records of these ledger transactions (settlements), by transaction id; others are absent. */
  readonly byTransactionIds: (transactionIds: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, SettlementRecord>, EarningsUnavailable>
  /**
   * Column sums over the party's records settled in [from, to) whose share for the party was
   * posted (its net not 0: those are the settlements on the party's earnings account).
   */
  readonly sumsOf: (party: StatementParty, from: Date, to: Date) => Effect.Effect<SettlementSums, EarningsUnavailable>
  /** Every record settled in [from, to), in settledAt order. */
  readonly between: (from: Date, to: Date) => Stream.Stream<SettlementRecord, EarningsUnavailable>
}>()("nelo/earnings/SettlementRecordStore") {}

/** The sums of some records, as the stores answer sumsOf: the memory adapter and the tests use it. */
export const sumRecords = (records: Iterable<SettlementRecord>): SettlementSums => {
  let sums = { ...emptySums } as { -readonly [K in keyof SettlementSums]: number }
  for (const record of records) {
    sums = {
      count: sums.count + 1,
      subtotalXof: sums.subtotalXof + record.subtotalXof,
      deliveryFeeXof: sums.deliveryFeeXof + record.deliveryFeeXof,
      providerCommissionXof: sums.providerCommissionXof + record.providerCommissionXof,
      driverCommissionXof: sums.driverCommissionXof + record.driverCommissionXof,
      providerFundedDiscountXof: sums.providerFundedDiscountXof + (record.discountFundedBy === "provider" ? record.discountXof : 0),
      platformFundedDiscountXof: sums.platformFundedDiscountXof + (record.discountFundedBy === "platform" ? record.discountXof : 0),
      providerRefundsXof: sums.providerRefundsXof + record.providerRefundsXof,
      driverRefundsXof: sums.driverRefundsXof + record.driverRefundsXof,
      platformRefundsXof: sums.platformRefundsXof + record.platformRefundsXof,
      providerNetXof: sums.providerNetXof + record.providerNetXof,
      driverNetXof: sums.driverNetXof + record.driverNetXof,
      platformNetXof: sums.platformNetXof + record.platformNetXof
    }
  }
  return sums as SettlementSums
}

/** Whether a record is a line of this party's statement: its share was posted to the party's earnings. */
export const isPostedFor = (record: SettlementRecord, party: StatementParty): boolean =>
  party.kind === "provider" ? record.providerId === party.id && record.providerNetXof !== 0 : record.driverId === party.id && record.driverNetXof !== 0
