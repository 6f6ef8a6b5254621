import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Schema } from "effect"
import { DeliveryFeeRepository } from "@nelo/domain/orders/DeliveryFeeRepository"
import { defaultDeliveryFeeSchedule, DeliveryFeeSchedule } from "@nelo/domain/orders/DeliveryFeeSchedule"
import { OrdersUnavailable } from "@nelo/domain/orders/errors"

const unavailable = (cause: unknown) => new OrdersUnavailable({ cause })

/** Each version a row, the schedule a jsonb document decoded by the domain's schema; the latest is in force. */
export const DeliveryFeeRepositoryPostgres = Layer.effect(DeliveryFeeRepository, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  return DeliveryFeeRepository.of({
    current: sql<{ schedule: unknown }>`SELECT schedule FROM orders.delivery_fee_schedules ORDER BY id DESC LIMIT 1`.pipe(
      Effect.flatMap(([latest]) => latest === undefined ? Effect.succeed(defaultDeliveryFeeSchedule) : Schema.decodeUnknownEffect(DeliveryFeeSchedule)(latest.schedule)),
      Effect.mapError(unavailable)
    ),
    replace: (schedule, by, now) =>
      sql`INSERT INTO orders.delivery_fee_schedules ${sql.insert({ schedule: sql.json(schedule), setBy: by, setAt: now })}`.pipe(
        Effect.asVoid,
        Effect.mapError(unavailable)
      )
  })
}))
