import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { DeliveryLog, DeliveryLogUnavailable } from "@nelo/domain/notifications/DeliveryLog"

const unavailable = (cause: unknown) => new DeliveryLogUnavailable({ cause })

export const DeliveryLogPostgres = Layer.effect(DeliveryLog, Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return DeliveryLog.of({
    wasDelivered: (eventId) =>
      sql<{ one: number }>`SELECT 1 AS one FROM notifications.deliveries WHERE event_id = ${eventId}`.pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.mapError(unavailable)
      ),
    recordDelivered: (record) =>
      sql`INSERT INTO notifications.deliveries ${sql.insert({ ...record })} ON CONFLICT (event_id) DO NOTHING`.pipe(
        Effect.asVoid,
        Effect.mapError(unavailable)
      )
  })
}))
