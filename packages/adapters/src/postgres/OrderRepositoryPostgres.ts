import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Option, Schema } from "effect"
import type { Statement } from "effect/sql"
import { OrdersUnavailable } from "@nelo/domain/orders/errors"
import { type NewOrderChange, Order, OrderChange, OrderTotals } from "@nelo/domain/orders/Order"
import { type CreateOutcome, OrderRepository } from "@nelo/domain/orders/OrderRepository"
import { bigintColumn } from "./bigintColumn.ts"
import { isUuid } from "./isUuid.ts"

/**
 * A row is the model's encoded form with its totals in four bigint columns (held by the CHECK that
 * makes them add up); the snapshots (lines, promotion, pickup, destination, cancellation) are jsonb
 * documents written as the model encodes them and decoded by its own schemas.
 */
const OrderRow = Order.mapFields(({ totals: _totals, ...fields }) => ({
  ...fields,
  subtotalXof: bigintColumn(OrderTotals.fields.subtotalXof),
  deliveryFeeXof: bigintColumn(OrderTotals.fields.deliveryFeeXof),
  discountXof: bigintColumn(OrderTotals.fields.discountXof),
  totalXof: bigintColumn(OrderTotals.fields.totalXof)
}))
type OrderRow = typeof OrderRow.Encoded

const toOrder = ({ subtotalXof, deliveryFeeXof, discountXof, totalXof, ...order }: typeof OrderRow.Type): Order => ({
  ...order,
  totals: { subtotalXof, deliveryFeeXof, discountXof, totalXof }
})

/** A change row as the model has it: the columns renamed and the actor put together in the select. */
type ChangeRow = typeof OrderChange.Encoded

const orderColumns = `id, reference, customer_id, provider_id, status, payment_method, payment_status, lines,
  subtotal_xof, delivery_fee_xof, discount_xof, total_xof, promotion, pickup, destination, distance_m, note,
  preparation_minutes, cancellation, idempotency_key, request_digest, delivery_code, created_at, updated_at`
// The identity is a bigint: exact as a float8 far beyond any number of changes this will see.
const changeColumns = `id::float8 AS id, position::float8 AS position, order_id, change, from_status AS "from", to_status AS "to",
  jsonb_build_object('kind', actor_kind, 'id', actor_id) AS actor, reason, at`

const unavailable = (cause: unknown) => new OrdersUnavailable({ cause })
const orUnavailable = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, OrdersUnavailable, R> =>
  Effect.mapError(effect, (failure) => failure instanceof OrdersUnavailable ? failure : unavailable(failure))

// A row the model refuses is a store that cannot be read as it stands.
const toOrders = (rows: ReadonlyArray<OrderRow>) =>
  Schema.decodeUnknownEffect(Schema.Array(OrderRow))(rows).pipe(Effect.map((decoded) => decoded.map(toOrder)), Effect.mapError(unavailable))
const toChanges = (rows: ReadonlyArray<ChangeRow>) => Schema.decodeUnknownEffect(Schema.Array(OrderChange))(rows).pipe(Effect.mapError(unavailable))
const firstOrder = (rows: ReadonlyArray<OrderRow>) => Effect.map(toOrders(rows.slice(0, 1)), (orders) => Option.fromNullishOr(orders[0]))
const onlyChange = (rows: ReadonlyArray<ChangeRow>) =>
  Effect.flatMap(toChanges(rows), (changes) => changes.length === 1 ? Effect.succeed(changes[0]!) : Effect.fail(unavailable(new Error(`${changes.length} change rows written`))))

const limitOf = (limit: number) => Math.max(0, Math.floor(limit))

export const OrderRepositoryPostgres = Layer.effect(OrderRepository, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  const orderCols = sql.literal(orderColumns)
  const changeCols = sql.literal(changeColumns)

  // SQL NULL for an absent snapshot, not the jsonb 'null'.
  const json = (value: unknown) => value === null ? null : sql.json(value)

  /** A change's columns after order_id and provider_id, which come from the order row just written. */
  const changeValues = (change: NewOrderChange) =>
    sql`${change.change}, ${change.from}, ${change.to}, ${change.actor.kind}, ${change.actor.id}, ${change.reason}, ${change.at}`

  // The provider's feed position, taken under its row lock until the change's transaction ends:
  // positions are given, and committed, one after the other (migration 0013 says why).
  const nextPosition = sql.literal(`fed AS (
    INSERT INTO orders.provider_feeds (provider_id, position) SELECT provider_id, 1 FROM written
    ON CONFLICT (provider_id) DO UPDATE SET position = orders.provider_feeds.position + 1
    RETURNING provider_id, position
  )`)

  const findOne = (where: Statement.Fragment) => sql<OrderRow>`SELECT ${orderCols} FROM orders.orders WHERE ${where}`.pipe(Effect.flatMap(firstOrder), orUnavailable)

  return OrderRepository.of({
    create: (order, change) =>
      change.orderId !== order.id ? Effect.fail(unavailable(new Error("a change names another order"))) : Effect.gen(function*() {
        // Any unique conflict inserts nothing. A concurrent uncommitted order with the same key (or
        // reference) is waited for: committed, it is found below; rolled back, this one is inserted.
        const inserted = yield* sql<ChangeRow>`
          WITH written AS (
            INSERT INTO orders.orders ${sql.insert({
              id: order.id,
              reference: order.reference,
              customerId: order.customerId,
              providerId: order.providerId,
              status: order.status,
              paymentMethod: order.paymentMethod,
              paymentStatus: order.paymentStatus,
              lines: sql.json(order.lines),
              subtotalXof: order.totals.subtotalXof,
              deliveryFeeXof: order.totals.deliveryFeeXof,
              discountXof: order.totals.discountXof,
              totalXof: order.totals.totalXof,
              promotion: json(order.promotion),
              pickup: sql.json(order.pickup),
              destination: sql.json(order.destination),
              distanceM: order.distanceM,
              note: order.note,
              preparationMinutes: order.preparationMinutes,
              cancellation: json(order.cancellation),
              idempotencyKey: order.idempotencyKey,
              requestDigest: order.requestDigest,
              deliveryCode: order.deliveryCode,
              createdAt: order.createdAt,
              updatedAt: order.updatedAt
            })} ON CONFLICT DO NOTHING RETURNING id, provider_id
          ), ${nextPosition}
          INSERT INTO orders.changes (order_id, provider_id, position, change, from_status, to_status, actor_kind, actor_id, reason, at)
          SELECT written.id, written.provider_id, fed.position, ${changeValues(change)} FROM written JOIN fed USING (provider_id)
          RETURNING ${changeCols}`
        if (inserted.length > 0) return { _tag: "Created", order, change: yield* onlyChange(inserted) } satisfies CreateOutcome
        const existing = yield* findOne(sql`customer_id = ${order.customerId} AND idempotency_key = ${order.idempotencyKey}`)
        if (Option.isSome(existing)) return { _tag: "KeyTaken", existing: existing.value } satisfies CreateOutcome
        if (Option.isSome(yield* findOne(sql`reference = ${order.reference}`))) return { _tag: "ReferenceTaken" } satisfies CreateOutcome
        return yield* Effect.fail(unavailable(new Error(`order id ${order.id} is taken by another order`)))
      }).pipe(orUnavailable),

    findById: (id) => !isUuid(id) ? Effect.succeed(Option.none()) : findOne(sql`id = ${id}`),

    findByReference: (reference) => findOne(sql`reference = ${reference}`),

    findByKey: (customerId, idempotencyKey) =>
      !isUuid(customerId) ? Effect.succeed(Option.none()) : findOne(sql`customer_id = ${customerId} AND idempotency_key = ${idempotencyKey}`),

    // Held until the caller's transaction ends; outside one, released at once.
    lock: (id) => !isUuid(id) ? Effect.succeed(Option.none()) : findOne(sql`id = ${id} FOR UPDATE`),

    // Only what a change may change: the snapshots and the money of an order are written once.
    update: (order, change) =>
      change.orderId !== order.id || !isUuid(order.id) ? Effect.fail(unavailable(new Error("a change names another order"))) : sql<ChangeRow>`
        WITH written AS (
          UPDATE orders.orders SET status = ${order.status}, payment_status = ${order.paymentStatus},
            preparation_minutes = ${order.preparationMinutes}, cancellation = ${json(order.cancellation)}, updated_at = ${order.updatedAt}
          WHERE id = ${order.id}
          RETURNING id, provider_id
        ), ${nextPosition}
        INSERT INTO orders.changes (order_id, provider_id, position, change, from_status, to_status, actor_kind, actor_id, reason, at)
        SELECT written.id, written.provider_id, fed.position, ${changeValues(change)} FROM written JOIN fed USING (provider_id)
        RETURNING ${changeCols}`.pipe(Effect.flatMap(onlyChange), orUnavailable),

    history: (orderId) =>
      !isUuid(orderId) ? Effect.succeed([]) : sql<ChangeRow>`
        SELECT ${changeCols} FROM orders.changes WHERE order_id = ${orderId} ORDER BY position`.pipe(Effect.flatMap(toChanges), orUnavailable),

    changesSince: (scope, afterPosition, limit) => {
      const [column, id] = "orderId" in scope ? ["order_id", scope.orderId] : ["provider_id", scope.providerId]
      if (!isUuid(id) || limitOf(limit) === 0) return Effect.succeed([])
      return sql<ChangeRow>`
        SELECT ${changeCols} FROM orders.changes
        WHERE ${sql(column)} = ${id} AND position > ${Math.floor(afterPosition)}
        ORDER BY position LIMIT ${limitOf(limit)}`.pipe(Effect.flatMap(toChanges), orUnavailable)
    },

    feedPosition: (providerId) =>
      !isUuid(providerId) ? Effect.succeed(0) : sql<{ position: number }>`
        SELECT position::float8 AS position FROM orders.provider_feeds WHERE provider_id = ${providerId}`.pipe(
        Effect.map((rows) => rows[0]?.position ?? 0),
        orUnavailable
      ),

    list: (query) => {
      if (query.customerId === undefined && query.providerId === undefined) return Effect.die(new Error("orders are listed for a customer or a provider"))
      const ids = [query.customerId, query.providerId, query.beforeId].filter((id) => id !== undefined && id !== null)
      if (!ids.every(isUuid) || limitOf(query.limit) === 0) return Effect.succeed([])
      const conditions = [
        query.customerId === undefined ? sql`TRUE` : sql`customer_id = ${query.customerId}`,
        query.providerId === undefined ? sql`TRUE` : sql`provider_id = ${query.providerId}`,
        query.beforeId === null ? sql`TRUE` : sql`id < ${query.beforeId}`,
        query.statuses === null ? sql`TRUE` : sql`status IN ${sql.in(query.statuses)}`,
        query.payableOnly === true ? sql`payment_status NOT IN ('awaiting', 'unpaid')` : sql`TRUE`
      ]
      return sql<OrderRow>`
        SELECT ${orderCols} FROM orders.orders WHERE ${sql.and(conditions)}
        ORDER BY id DESC LIMIT ${limitOf(query.limit)}`.pipe(Effect.flatMap(toOrders), orUnavailable)
    },

    // The partial index orders_refunding holds exactly these rows.
    awaitingRefund: (updatedBefore, limit) =>
      limitOf(limit) === 0 ? Effect.succeed([]) : sql<{ id: string }>`
        SELECT id FROM orders.orders WHERE payment_status = 'refunding' AND updated_at < ${updatedBefore}
        ORDER BY updated_at LIMIT ${limitOf(limit)}`.pipe(
        Effect.map((rows) => rows.map((row) => row.id)),
        orUnavailable
      ),

    // On the primary key's order: most orders end delivered, so the filter skips few rows.
    deliveredAfter: (afterId, limit) =>
      limitOf(limit) === 0 || (afterId !== null && !isUuid(afterId)) ? Effect.succeed([]) : sql<{ id: string }>`
        SELECT id FROM orders.orders WHERE status = 'delivered'${afterId === null ? sql`` : sql` AND id > ${afterId}`}
        ORDER BY id LIMIT ${limitOf(limit)}`.pipe(
        Effect.map((rows) => rows.map((row) => row.id)),
        orUnavailable
      ),

    countNotCancelled: (customerId) =>
      !isUuid(customerId) ? Effect.succeed(0) : sql<{ count: number }>`
        SELECT count(*)::integer AS count FROM orders.orders WHERE customer_id = ${customerId} AND status <> 'cancelled'`.pipe(
        Effect.map((rows) => rows[0]?.count ?? 0),
        orUnavailable
      ),

    // The partial index orders_cash_outcomes holds exactly these rows, newest first.
    lastCashOutcomes: (customerId, limit) =>
      !isUuid(customerId) || limitOf(limit) === 0 ? Effect.succeed([]) : sql<{ status: Order["status"] }>`
        SELECT status FROM orders.orders
        WHERE customer_id = ${customerId} AND payment_method = 'cash' AND status IN ('delivered', 'failed')
        ORDER BY updated_at DESC, id DESC LIMIT ${limitOf(limit)}`.pipe(
        Effect.map((rows) => rows.map((row) => row.status)),
        orUnavailable
      )
  })
}))
