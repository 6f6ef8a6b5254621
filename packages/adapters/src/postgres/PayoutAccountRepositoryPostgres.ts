import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Option } from "effect"
import { EarningsUnavailable } from "@nelo/domain/earnings/errors"
import type { PayeeKind } from "@nelo/domain/earnings/Payout"
import type { PayoutAccount, PayoutAccountChange } from "@nelo/domain/earnings/PayoutAccount"
import { PayoutAccountRepository } from "@nelo/domain/earnings/PayoutAccountRepository"
import type { Phone } from "@nelo/domain/shared/Phone"
import { isUuid } from "./isUuid.ts"

const unavailable = (cause: unknown) => new EarningsUnavailable({ cause })
const orUnavailable = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, EarningsUnavailable, R> =>
  Effect.mapError(effect, (failure) => failure instanceof EarningsUnavailable ? failure : unavailable(failure))

interface AccountRow {
  readonly payeeKind: string
  readonly payeeId: string
  readonly holderName: string
  readonly mobile: string | null
  readonly confirmedAt: Date | null
  readonly payoutsHeldUntil: Date | null
  readonly pendingMobile: string | null
  readonly pendingSince: Date | null
}

const columns = "payee_kind, payee_id, holder_name, mobile, confirmed_at, payouts_held_until, pending_mobile, pending_since"

// Numbers were parsed (parsePhone) before they were written: read back as they were stored.
const toAccount = (row: AccountRow): PayoutAccount => ({
  payee: { kind: row.payeeKind as PayeeKind, id: row.payeeId },
  holderName: row.holderName,
  mobile: row.mobile as Phone | null,
  confirmedAt: row.confirmedAt,
  payoutsHeldUntil: row.payoutsHeldUntil,
  pendingMobile: row.pendingMobile as Phone | null,
  pendingSince: row.pendingSince
})

/** earnings.payout_accounts and earnings.payout_account_changes (migration 0022). */
export const PayoutAccountRepositoryPostgres = Layer.effect(PayoutAccountRepository, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  const cols = sql.literal(columns)

  return PayoutAccountRepository.of({
    find: (payee) =>
      !isUuid(payee.id) ? Effect.succeed(Option.none()) : sql<AccountRow>`
        SELECT ${cols} FROM earnings.payout_accounts WHERE payee_kind = ${payee.kind} AND payee_id = ${payee.id}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), toAccount)),
        orUnavailable
      ),

    findMany: (payees) => {
      const asked = payees.filter((payee) => isUuid(payee.id))
      if (asked.length === 0) return Effect.succeed([])
      // One read for the lot: two arrays unnested side by side, on the primary key.
      return sql<AccountRow>`
        SELECT ${cols} FROM earnings.payout_accounts
        WHERE (payee_kind, payee_id) IN (SELECT * FROM unnest(${asked.map((payee) => payee.kind)}::text[], ${asked.map((payee) => payee.id)}::uuid[]))`.pipe(
        Effect.map((rows) => rows.map(toAccount)),
        orUnavailable
      )
    },

    setPending: (payee, pending) =>
      sql`INSERT INTO earnings.payout_accounts (payee_kind, payee_id, holder_name, pending_mobile, pending_since)
        VALUES (${payee.kind}, ${payee.id}, ${pending.holderName}, ${pending.mobile}, ${pending.at})
        ON CONFLICT (payee_kind, payee_id) DO UPDATE SET holder_name = EXCLUDED.holder_name,
          pending_mobile = EXCLUDED.pending_mobile, pending_since = EXCLUDED.pending_since`.pipe(Effect.asVoid, orUnavailable),

    // A malformed id names no account (it must not reach the uuid column: that would read as the store failing).
    confirm: (payee, confirmed) =>
      !isUuid(payee.id) ? Effect.succeed(false) : sql.withTransaction(Effect.gen(function*() {
        const before = yield* sql<{ mobile: string | null }>`
          SELECT mobile FROM earnings.payout_accounts
          WHERE payee_kind = ${payee.kind} AND payee_id = ${payee.id} AND pending_mobile = ${confirmed.mobile} FOR UPDATE`
        if (before[0] === undefined) return false
        yield* sql`UPDATE earnings.payout_accounts SET mobile = ${confirmed.mobile}, confirmed_at = ${confirmed.at},
          payouts_held_until = ${confirmed.heldUntil}, pending_mobile = NULL, pending_since = NULL
          WHERE payee_kind = ${payee.kind} AND payee_id = ${payee.id}`
        yield* sql`INSERT INTO earnings.payout_account_changes ${sql.insert({
          payeeKind: payee.kind,
          payeeId: payee.id,
          previousMobile: before[0].mobile,
          mobile: confirmed.mobile,
          changedBy: confirmed.changedBy,
          at: confirmed.at
        })}`
        return true
      })).pipe(orUnavailable),

    changes: (payee) =>
      !isUuid(payee.id) ? Effect.succeed([]) : sql<{ payeeKind: string; payeeId: string; previousMobile: string | null; mobile: string; changedBy: string; at: Date }>`
        SELECT payee_kind, payee_id, previous_mobile, mobile, changed_by, at FROM earnings.payout_account_changes
        WHERE payee_kind = ${payee.kind} AND payee_id = ${payee.id} ORDER BY id`.pipe(
        Effect.map((rows) => rows.map((row): PayoutAccountChange => ({
          payee: { kind: row.payeeKind as PayeeKind, id: row.payeeId },
          previousMobile: row.previousMobile as Phone | null,
          mobile: row.mobile as Phone,
          changedBy: row.changedBy,
          at: row.at
        }))),
        orUnavailable
      )
  })
}))
