import { Array as Arr, Effect, Layer, Option, Semaphore } from "effect"
import { PgClient } from "@effect/sql-pg"
import { encodeNewEvent, type StoredEvent } from "@nelo/domain/events/DomainEvent"
import { OutboxStore, OutboxUnavailable } from "@nelo/domain/events/OutboxStore"

// One relay at a time holds this transaction-scoped advisory lock; any fixed number shared by all processes.
const relayLockKey = 7_305_002

interface OutboxRow {
  readonly id: string
  readonly sequence: string
  readonly type: string
  readonly aggregateType: string
  readonly aggregateId: string
  readonly payload: unknown
  readonly occurredAt: Date
}

const toEvent = (row: OutboxRow): StoredEvent => ({
  id: row.id,
  sequence: Number(row.sequence),
  type: row.type,
  aggregateType: row.aggregateType,
  aggregateId: row.aggregateId,
  payload: row.payload,
  occurredAt: row.occurredAt.toISOString()
})

const unavailable = (cause: unknown) => new OutboxUnavailable({ cause })

/**
 * `append` joins the caller's transaction when there is one (sql.withTransaction around the use
 * case), which is the point of an outbox: the change and its event commit or roll back together.
 */
export const OutboxStorePostgres = Layer.effect(OutboxStore, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  // Advisory locks are re-entrant within one session, and fibers of one process may share a
  // transaction's connection: this permit makes the claim exclusive inside the process too.
  const localClaim = yield* Semaphore.make(1)

  return OutboxStore.of({
    append: (events) => {
      const rows = events.map((event) => encodeNewEvent(event)).map((event): Record<string, unknown> => ({
        id: event.id,
        type: event.type,
        aggregateType: event.aggregateType,
        aggregateId: event.aggregateId,
        payload: sql.json(event.payload),
        occurredAt: new Date(event.occurredAt)
      }))
      return Arr.isArrayNonEmpty(rows)
        ? sql`INSERT INTO events.outbox ${sql.insert(rows)}`.pipe(Effect.asVoid, Effect.mapError(unavailable))
        : Effect.void
    },

    withClaim: (limit, use) =>
      localClaim.withPermitsIfAvailable(1)(sql.withTransaction(Effect.gen(function*() {
        const [lock] = yield* sql<{ claimed: boolean }>`SELECT pg_try_advisory_xact_lock(${relayLockKey}) AS claimed`.pipe(
          Effect.mapError(unavailable)
        )
        if (!lock?.claimed) return undefined
        // ORDER BY must name the table's column: the bare name would sort by the text alias below.
        const rows = yield* sql<OutboxRow>`
          SELECT id, sequence::text AS sequence, type, aggregate_type, aggregate_id, payload, occurred_at
          FROM events.outbox WHERE relayed_at IS NULL ORDER BY outbox.sequence LIMIT ${limit}`.pipe(Effect.mapError(unavailable))
        return yield* use({
          events: rows.map(toEvent),
          markRelayed: (ids) =>
            sql`UPDATE events.outbox SET relayed_at = now() WHERE id IN ${sql.in(ids)}`.pipe(
              Effect.asVoid,
              Effect.mapError(unavailable)
            )
        })
      }))).pipe(
        Effect.map(Option.getOrUndefined),
        Effect.catchTag("SqlError", (error) => Effect.fail(unavailable(error)))
      ),

    pendingCount: sql<{ count: string }>`SELECT count(*)::text AS count FROM events.outbox WHERE relayed_at IS NULL`.pipe(
      Effect.map((rows) => Number(rows[0]?.count ?? 0)),
      Effect.mapError(unavailable)
    )
  })
}))
