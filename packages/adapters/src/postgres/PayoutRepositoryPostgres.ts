import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Option } from "effect"
import { EarningsUnavailable, PayoutAlreadyOpen, PayoutBatchExists } from "@nelo/domain/earnings/errors"
import type { Payout, PayoutMethod, PayoutRun, PayoutStatus, PayeeKind } from "@nelo/domain/earnings/Payout"
import { PayoutRepository } from "@nelo/domain/earnings/PayoutRepository"
import type { Gateway } from "@nelo/domain/wallet/Account"
import { isXof, xof } from "@nelo/domain/shared/Xof"
import { isUuid } from "./isUuid.ts"

const unavailable = (cause: unknown) => new EarningsUnavailable({ cause })
const orUnavailable = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, EarningsUnavailable, R> =>
  Effect.mapError(effect, (failure) => failure instanceof EarningsUnavailable ? failure : unavailable(failure))

interface PayoutRow {
  readonly id: string
  readonly runId: string
  readonly payeeKind: string
  readonly payeeId: string
  readonly amountXof: bigint | string
  readonly mobile: string
  readonly holderName: string
  readonly method: string
  readonly gateway: string | null
  readonly status: string
  readonly gatewayReference: string | null
  readonly detail: string | null
  readonly attempts: number
  readonly orderCount: number
  readonly createdAt: Date
  readonly updatedAt: Date
}

interface RunRow {
  readonly id: string
  readonly method: string
  readonly periodFrom: string | null
  readonly periodTo: string | null
  readonly startedBy: string
  readonly createdAt: Date
}

const payoutColumns = "id, run_id, payee_kind, payee_id, amount_xof, mobile, holder_name, method, gateway, status, gateway_reference, detail, attempts, order_count, created_at, updated_at"
// Dates as text: a date column read as a JavaScript Date would shift with the process's zone.
const runColumns = "id, method, period_from::text AS period_from, period_to::text AS period_to, started_by, created_at"

const toPayout = (row: PayoutRow): Payout => {
  const amount = Number(row.amountXof)
  if (!isXof(amount)) throw new Error(`payout ${row.id}: amount ${row.amountXof} out of range`)
  return {
    id: row.id,
    runId: row.runId,
    payee: { kind: row.payeeKind as PayeeKind, id: row.payeeId },
    amountXof: xof(amount),
    mobile: row.mobile,
    holderName: row.holderName,
    method: row.method as PayoutMethod,
    gateway: row.gateway as Gateway | null,
    status: row.status as PayoutStatus,
    gatewayReference: row.gatewayReference,
    detail: row.detail,
    attempts: row.attempts,
    orderCount: row.orderCount,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt
  }
}
const toRun = (row: RunRow): PayoutRun => ({ ...row, method: row.method as PayoutMethod })

const decodedPayouts = (rows: ReadonlyArray<PayoutRow>) => Effect.try({ try: () => rows.map(toPayout), catch: unavailable })

/**
 * earnings.payouts and earnings.payout_runs (migration 0022). One open payout per payee is the
 * partial unique index's: a second run racing the first fails its insert (PayoutAlreadyOpen), and its
 * transaction, ledger post included, is rolled back.
 */
export const PayoutRepositoryPostgres = Layer.effect(PayoutRepository, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  const cols = sql.literal(payoutColumns)
  const runCols = sql.literal(runColumns)

  const one = (id: string, lock: boolean) =>
    !isUuid(id) ? Effect.succeed(Option.none<Payout>()) : sql<PayoutRow>`
      SELECT ${cols} FROM earnings.payouts WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`.pipe(
      Effect.flatMap(decodedPayouts),
      Effect.map((payouts) => Option.fromNullishOr(payouts[0])),
      orUnavailable
    )

  return PayoutRepository.of({
    createRun: (run) =>
      sql`INSERT INTO earnings.payout_runs ${sql.insert({
        id: run.id,
        method: run.method,
        periodFrom: run.periodFrom,
        periodTo: run.periodTo,
        startedBy: run.startedBy,
        createdAt: run.createdAt
      })}`.pipe(
        Effect.asVoid,
        Effect.catchReason(
          "SqlError",
          "UniqueViolation",
          (violation, error) => Effect.fail(violation.constraint === "payout_runs_one_batch_per_period" ? new PayoutBatchExists() : unavailable(error)),
          (_reason, error) => Effect.fail(unavailable(error))
        )
      ),

    findRun: (id) =>
      !isUuid(id) ? Effect.succeed(Option.none()) : sql<RunRow>`SELECT ${runCols} FROM earnings.payout_runs WHERE id = ${id}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), toRun)),
        orUnavailable
      ),

    findManualRun: (periodFrom, periodTo) =>
      sql<RunRow>`SELECT ${runCols} FROM earnings.payout_runs WHERE method = 'manual' AND period_from = ${periodFrom}::date AND period_to = ${periodTo}::date`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), toRun)),
        orUnavailable
      ),

    create: (payout) =>
      sql`INSERT INTO earnings.payouts ${sql.insert({
        id: payout.id,
        runId: payout.runId,
        payeeKind: payout.payee.kind,
        payeeId: payout.payee.id,
        amountXof: payout.amountXof,
        mobile: payout.mobile,
        holderName: payout.holderName,
        method: payout.method,
        gateway: payout.gateway,
        status: payout.status,
        gatewayReference: payout.gatewayReference,
        detail: payout.detail,
        attempts: payout.attempts,
        orderCount: payout.orderCount,
        createdAt: payout.createdAt,
        updatedAt: payout.updatedAt
      })}`.pipe(
        Effect.asVoid,
        Effect.catchReason(
          "SqlError",
          "UniqueViolation",
          (violation, error) => Effect.fail(violation.constraint === "payouts_one_open_per_payee" ? new PayoutAlreadyOpen({ payeeId: payout.payee.id }) : unavailable(error)),
          (_reason, error) => Effect.fail(unavailable(error))
        )
      ),

    findById: (id) => one(id, false),
    lock: (id) => one(id, true),

    // A malformed id names no payout: nothing to change (it must not reach the uuid column).
    update: (id, change) =>
      !isUuid(id) ? Effect.void : sql`UPDATE earnings.payouts SET
        status = ${change.status === undefined ? sql`status` : sql`${change.status}`},
        gateway = ${change.gateway === undefined ? sql`gateway` : sql`${change.gateway}`},
        gateway_reference = ${change.gatewayReference === undefined ? sql`gateway_reference` : sql`${change.gatewayReference}`},
        detail = ${change.detail === undefined ? sql`detail` : sql`${change.detail}`},
        attempts = ${change.attempts === undefined ? sql`attempts` : sql`${change.attempts}`},
        updated_at = ${change.updatedAt}
        WHERE id = ${id}`.pipe(Effect.asVoid, orUnavailable),

    ofRun: (runId) =>
      !isUuid(runId) ? Effect.succeed([]) : sql<PayoutRow>`SELECT ${cols} FROM earnings.payouts WHERE run_id = ${runId} ORDER BY id`.pipe(Effect.flatMap(decodedPayouts), orUnavailable),

    unfinished: (before, limit) =>
      sql<PayoutRow>`
        SELECT ${cols} FROM earnings.payouts
        WHERE method = 'gateway' AND status IN ('pending', 'sending', 'processing') AND updated_at < ${before}
        ORDER BY updated_at, id LIMIT ${limit}`.pipe(Effect.flatMap(decodedPayouts), orUnavailable),

    ofPayee: (payee, limit) =>
      !isUuid(payee.id) ? Effect.succeed([]) : sql<PayoutRow>`
        SELECT ${cols} FROM earnings.payouts WHERE payee_kind = ${payee.kind} AND payee_id = ${payee.id}
        ORDER BY id DESC LIMIT ${limit}`.pipe(Effect.flatMap(decodedPayouts), orUnavailable)
  })
}))
