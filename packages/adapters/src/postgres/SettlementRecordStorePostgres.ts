import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Stream } from "effect"
import { EarningsUnavailable } from "@nelo/domain/earnings/errors"
import { emptySums, type SettlementRecord, SettlementRecordStore, type SettlementSums } from "@nelo/domain/earnings/SettlementRecord"
import type { PromotionFunder } from "@nelo/domain/orders/Order"
import { type BasisPoints, isXof, type Xof } from "@nelo/domain/shared/Xof"
import { isUuid } from "./isUuid.ts"

const unavailable = (cause: unknown) => new EarningsUnavailable({ cause })
const orUnavailable = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, EarningsUnavailable, R> =>
  Effect.mapError(effect, (failure) => failure instanceof EarningsUnavailable ? failure : unavailable(failure))

/** Money is whole francs in bigint columns; a value JavaScript cannot hold exactly is refused, never rounded. */
const toXof = (value: bigint | string | number): Xof => {
  const amount = Number(value)
  if (!isXof(amount)) throw new Error(`amount ${value} is not a safe integer of francs`)
  return amount
}

interface RecordRow {
  readonly orderId: string
  readonly reference: string
  readonly providerId: string
  readonly driverId: string
  readonly transactionId: string
  readonly settledAt: Date
  readonly subtotalXof: bigint
  readonly deliveryFeeXof: bigint
  readonly discountXof: bigint
  readonly discountFundedBy: string | null
  readonly providerBasisPoints: number
  readonly driverBasisPoints: number
  readonly providerCommissionXof: bigint
  readonly driverCommissionXof: bigint
  readonly providerRefundsXof: bigint
  readonly driverRefundsXof: bigint
  readonly platformRefundsXof: bigint
  readonly providerNetXof: bigint
  readonly driverNetXof: bigint
  readonly platformNetXof: bigint
}

const columns = `order_id, reference, provider_id, driver_id, transaction_id, settled_at, subtotal_xof, delivery_fee_xof, discount_xof,
  discount_funded_by, provider_basis_points, driver_basis_points, provider_commission_xof, driver_commission_xof, provider_refunds_xof,
  driver_refunds_xof, platform_refunds_xof, provider_net_xof, driver_net_xof, platform_net_xof`

// The CHECK constraints of migration 0023 guarantee the literal values.
const toRecord = (row: RecordRow): SettlementRecord => ({
  orderId: row.orderId,
  reference: row.reference,
  providerId: row.providerId,
  driverId: row.driverId,
  transactionId: row.transactionId,
  settledAt: row.settledAt,
  subtotalXof: toXof(row.subtotalXof),
  deliveryFeeXof: toXof(row.deliveryFeeXof),
  discountXof: toXof(row.discountXof),
  discountFundedBy: row.discountFundedBy as PromotionFunder | null,
  providerBasisPoints: row.providerBasisPoints as BasisPoints,
  driverBasisPoints: row.driverBasisPoints as BasisPoints,
  providerCommissionXof: toXof(row.providerCommissionXof),
  driverCommissionXof: toXof(row.driverCommissionXof),
  providerRefundsXof: toXof(row.providerRefundsXof),
  driverRefundsXof: toXof(row.driverRefundsXof),
  platformRefundsXof: toXof(row.platformRefundsXof),
  providerNetXof: toXof(row.providerNetXof),
  driverNetXof: toXof(row.driverNetXof),
  platformNetXof: toXof(row.platformNetXof)
})

const decoded = <A>(decode: () => A) => Effect.try({ try: decode, catch: unavailable })

/**
 * earnings.settlements (migration 0023): one row per settled order, written in the settlement's
 * database transaction, never updated. A party's sums of a period read its (party, settled_at) index.
 */
export const SettlementRecordStorePostgres = Layer.effect(SettlementRecordStore, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  const cols = sql.literal(columns)
  const raw = sql.withoutTransforms()
  const camelCols = raw.literal(columns.split(",").map((column) => column.trim()).map((column) => `${column} AS "${column.replace(/_([a-z])/gu, (_, letter: string) => letter.toUpperCase())}"`).join(", "))

  return SettlementRecordStore.of({
    record: (record) =>
      sql`INSERT INTO earnings.settlements ${sql.insert({ ...record })} ON CONFLICT (order_id) DO NOTHING`.pipe(Effect.asVoid, orUnavailable),

    byTransactionIds: (ids) => {
      const asked = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))]
      if (asked.length === 0) return Effect.succeed(new Map())
      // Without the name transforms (aliased columns): a statement export asks this for every 500 lines.
      return raw<RecordRow>`SELECT ${camelCols} FROM earnings.settlements WHERE transaction_id = ANY(${asked}::uuid[])`.pipe(
        Effect.flatMap((rows) =>
          decoded(() => {
            const byId = new Map(rows.map((row) => [row.transactionId, toRecord(row)] as const))
            const found = new Map<string, SettlementRecord>()
            for (const id of ids) {
              const record = byId.get(id.toLowerCase())
              if (record !== undefined) found.set(id, record)
            }
            return found
          })
        ),
        orUnavailable
      )
    },

    sumsOf: (party, from, to) => {
      if (!isUuid(party.id)) return Effect.succeed(emptySums)
      const posted = party.kind === "provider"
        ? sql`provider_id = ${party.id} AND provider_net_xof <> 0`
        : sql`driver_id = ${party.id} AND driver_net_xof <> 0`
      return sql<Record<keyof SettlementSums, string>>`
        SELECT count(*)::text AS count, coalesce(sum(subtotal_xof), 0)::text AS subtotal_xof, coalesce(sum(delivery_fee_xof), 0)::text AS delivery_fee_xof,
          coalesce(sum(provider_commission_xof), 0)::text AS provider_commission_xof, coalesce(sum(driver_commission_xof), 0)::text AS driver_commission_xof,
          coalesce(sum(discount_xof) FILTER (WHERE discount_funded_by = 'provider'), 0)::text AS provider_funded_discount_xof,
          coalesce(sum(discount_xof) FILTER (WHERE discount_funded_by = 'platform'), 0)::text AS platform_funded_discount_xof,
          coalesce(sum(provider_refunds_xof), 0)::text AS provider_refunds_xof, coalesce(sum(driver_refunds_xof), 0)::text AS driver_refunds_xof,
          coalesce(sum(platform_refunds_xof), 0)::text AS platform_refunds_xof, coalesce(sum(provider_net_xof), 0)::text AS provider_net_xof,
          coalesce(sum(driver_net_xof), 0)::text AS driver_net_xof, coalesce(sum(platform_net_xof), 0)::text AS platform_net_xof
        FROM earnings.settlements WHERE ${posted} AND settled_at >= ${from} AND settled_at < ${to}`.pipe(
        Effect.flatMap((rows) =>
          decoded((): SettlementSums => {
            const row = rows[0]!
            return Object.fromEntries(Object.keys(emptySums).map((key) => [key, toXof(row[key as keyof SettlementSums])])) as unknown as SettlementSums
          })
        ),
        orUnavailable
      )
    },

    between: (from, to) =>
      sql<RecordRow>`SELECT ${cols} FROM earnings.settlements WHERE settled_at >= ${from} AND settled_at < ${to} ORDER BY settled_at, order_id`.stream.pipe(
        Stream.mapEffect((row) => decoded(() => toRecord(row))),
        Stream.mapError((failure) => failure instanceof EarningsUnavailable ? failure : unavailable(failure))
      )
  })
}))
