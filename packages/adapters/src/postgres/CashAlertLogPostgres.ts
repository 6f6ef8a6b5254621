import { PgClient } from "@effect/sql-pg"
import { Effect, Layer } from "effect"
import { CashAlertLog } from "@nelo/domain/earnings/CashAlertLog"
import { EarningsUnavailable } from "@nelo/domain/earnings/errors"

/**
 * earnings.cash_alerts (migration 0024): a day claimed by inserting its row; the primary key makes
 * the second claim of a day (even a concurrent one, which waits for the first to commit) insert
 * nothing and answer false.
 */
export const CashAlertLogPostgres = Layer.effect(CashAlertLog, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  return CashAlertLog.of({
    claimDay: (day, at, drivers) =>
      sql`INSERT INTO earnings.cash_alerts ${sql.insert({ day, sentAt: at, drivers })} ON CONFLICT (day) DO NOTHING RETURNING day`.pipe(
        Effect.map((rows) => rows.length === 1),
        Effect.mapError((cause) => new EarningsUnavailable({ cause }))
      )
  })
}))
