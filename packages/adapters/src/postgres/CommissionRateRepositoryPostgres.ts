import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Option, Schema } from "effect"
import { CommissionRate, type RateParty } from "@nelo/domain/earnings/CommissionRate"
import { CommissionRateRepository } from "@nelo/domain/earnings/CommissionRateRepository"
import { EarningsUnavailable } from "@nelo/domain/earnings/errors"
import { BasisPoints } from "@nelo/domain/shared/Xof"
import { isUuid } from "./isUuid.ts"

const unavailable = (cause: unknown) => new EarningsUnavailable({ cause })
const orUnavailable = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, EarningsUnavailable, R> =>
  Effect.mapError(effect, (failure) => failure instanceof EarningsUnavailable ? failure : unavailable(failure))

// The party in one object, as the model has it.
const columns = `jsonb_build_object('kind', party_kind, 'id', party_id) AS party, basis_points, effective_from, set_by, created_at`

// A row the model refuses is a store that cannot be read as it stands.
const toRates = (rows: ReadonlyArray<unknown>) => Schema.decodeUnknownEffect(Schema.Array(CommissionRate))(rows).pipe(Effect.mapError(unavailable))

/**
 * earnings.commission_rates (migration 0020): one row per override, never updated. The rate in
 * force is the latest effective date at or before the instant, on the (party, effective_from DESC)
 * index; the identity column orders two overrides of the same instant.
 */
export const CommissionRateRepositoryPostgres = Layer.effect(CommissionRateRepository, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  const cols = sql.literal(columns)

  return CommissionRateRepository.of({
    rateAt: (party, at) =>
      !isUuid(party.id) ? Effect.succeed(Option.none()) : sql<{ basisPoints: number }>`
        SELECT basis_points FROM earnings.commission_rates
        WHERE party_kind = ${party.kind} AND party_id = ${party.id} AND effective_from <= ${at}
        ORDER BY effective_from DESC, id DESC LIMIT 1`.pipe(
        Effect.flatMap((rows) =>
          rows[0] === undefined ? Effect.succeed(Option.none()) : Effect.map(Schema.decodeUnknownEffect(BasisPoints)(rows[0].basisPoints), Option.some)),
        orUnavailable
      ),

    setRate: (party, rate, effectiveFrom, setBy, now) =>
      sql`INSERT INTO earnings.commission_rates ${sql.insert({ partyKind: party.kind, partyId: party.id, basisPoints: rate, effectiveFrom, setBy, createdAt: now })}
        RETURNING ${cols}`.pipe(
        Effect.flatMap(toRates),
        Effect.flatMap((rates) => rates.length === 1 ? Effect.succeed(rates[0]!) : Effect.fail(unavailable(new Error(`${rates.length} rate rows written`)))),
        orUnavailable
      ),

    history: (party: RateParty) =>
      !isUuid(party.id) ? Effect.succeed([]) : sql`
        SELECT ${cols} FROM earnings.commission_rates
        WHERE party_kind = ${party.kind} AND party_id = ${party.id}
        ORDER BY effective_from, id`.pipe(Effect.flatMap(toRates), orUnavailable)
  })
}))
