import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // The days the drivers' cash alert was run (packages/domain/src/earnings/CashAlertLog.ts): one row
  // per Abidjan day, written with the alert's SMS in one transaction, so that the daily job run again
  // the same day (a restart, a second worker) alerts nobody twice.
  yield* sql`CREATE SCHEMA IF NOT EXISTS earnings`
  yield* sql`CREATE TABLE earnings.cash_alerts (
    day date PRIMARY KEY,
    sent_at timestamptz NOT NULL,
    drivers integer NOT NULL CHECK (drivers >= 0)
  )`
})
