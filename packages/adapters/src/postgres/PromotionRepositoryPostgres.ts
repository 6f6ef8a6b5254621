import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Option, Schema } from "effect"
import type { SqlError } from "effect/sql"
import { OrdersUnavailable, PromotionCodeTaken } from "@nelo/domain/orders/errors"
import { Promotion, PromotionTerms } from "@nelo/domain/orders/Promotion"
import { PromotionRepository } from "@nelo/domain/orders/PromotionRepository"
import { bigintColumn } from "./bigintColumn.ts"
import { isUuid } from "./isUuid.ts"

/** A row is the model's encoded form, its amounts in bigint columns, its benefit a jsonb document. */
const PromotionRow = Promotion.mapFields((fields) => ({
  ...fields,
  minimumSubtotalXof: bigintColumn(fields.minimumSubtotalXof),
  maximumDiscountXof: Schema.NullOr(bigintColumn(fields.maximumDiscountXof.members[0])),
  budgetXof: Schema.NullOr(bigintColumn(fields.budgetXof.members[0])),
  discountTotalXof: bigintColumn(fields.discountTotalXof)
}))
type PromotionRow = typeof PromotionRow.Encoded

const promotionColumns = `id, code, label, benefit, minimum_subtotal_xof, maximum_discount_xof, starts_at, ends_at, maximum_uses,
  budget_xof, per_customer_limit, first_order_only, provider_id, funded_by, active, uses_count, discount_total_xof, created_at, updated_at`

const promotionKeys = Object.keys(Promotion.fields) as ReadonlyArray<keyof Promotion>

/** What an update may change: the terms and whether it is active; the counters move only with uses. */
const patchableKeys = [...Object.keys(PromotionTerms.fields), "active"] as ReadonlyArray<keyof PromotionTerms | "active">

// Postgres's name for UNIQUE (code) of migration 0011.
const codeUniqueConstraint = "promotions_code_unique"

const unavailable = (cause: unknown) => new OrdersUnavailable({ cause })

const toPromotions = (rows: ReadonlyArray<PromotionRow>) => Schema.decodeUnknownEffect(Schema.Array(PromotionRow))(rows).pipe(Effect.mapError(unavailable))
const firstPromotion = (rows: ReadonlyArray<PromotionRow>) => Effect.map(toPromotions(rows.slice(0, 1)), (promotions) => Option.fromNullishOr(promotions[0]))

const limitOf = (limit: number) => Math.max(0, Math.floor(limit))

export const PromotionRepositoryPostgres = Layer.effect(PromotionRepository, Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  const cols = sql.literal(promotionColumns)

  const codeTakenOrUnavailable = (code: string | null | undefined) => <A>(effect: Effect.Effect<A, SqlError.SqlError>) =>
    effect.pipe(Effect.catchReason(
      "SqlError",
      "UniqueViolation",
      (violation, error) => Effect.fail(violation.constraint === codeUniqueConstraint ? new PromotionCodeTaken({ code: code ?? "" }) : unavailable(error)),
      (_reason, error) => Effect.fail(unavailable(error))
    ))

  /** The model's fields, one a column, and nothing else the value may carry. */
  const columnsOf = (promotion: Promotion) =>
    Object.fromEntries(promotionKeys.map((key) => [key, key === "benefit" ? sql.json(promotion.benefit) : promotion[key]]))

  return PromotionRepository.of({
    create: (promotion) =>
      sql<PromotionRow>`
        INSERT INTO orders.promotions ${sql.insert(columnsOf(promotion))}
        RETURNING ${cols}`.pipe(
        codeTakenOrUnavailable(promotion.code),
        Effect.flatMap(firstPromotion),
        Effect.flatMap(Option.match({ onNone: () => Effect.fail(unavailable(new Error("the inserted promotion came back empty"))), onSome: Effect.succeed }))
      ),

    update: (id, patch) => {
      if (!isUuid(id)) return Effect.succeed(Option.none())
      const assignments = patchableKeys
        .filter((key) => patch[key] !== undefined)
        .map((key) => sql`${sql(key)} = ${key === "benefit" ? sql.json(patch.benefit) : patch[key] as string | number | boolean | Date | null}`)
      return sql<PromotionRow>`
        UPDATE orders.promotions SET ${sql.csv([...assignments, sql`updated_at = ${patch.now}`])}
        WHERE id = ${id}
        RETURNING ${cols}`.pipe(codeTakenOrUnavailable(patch.code), Effect.flatMap(firstPromotion))
    },

    find: (id) => !isUuid(id) ? Effect.succeed(Option.none()) : sql<PromotionRow>`SELECT ${cols} FROM orders.promotions WHERE id = ${id}`.pipe(Effect.flatMap(firstPromotion), Effect.mapError(unavailable)),

    findByCode: (code) =>
      sql<PromotionRow>`SELECT ${cols} FROM orders.promotions WHERE code = ${code}`.pipe(Effect.flatMap(firstPromotion), Effect.mapError(unavailable)),

    list: (query) =>
      (query.beforeId !== null && !isUuid(query.beforeId)) || limitOf(query.limit) === 0 ? Effect.succeed([]) : sql<PromotionRow>`
        SELECT ${cols} FROM orders.promotions
        WHERE ${sql.and([query.activeOnly ? sql`active` : sql`TRUE`, query.beforeId === null ? sql`TRUE` : sql`id < ${query.beforeId}`])}
        ORDER BY id DESC LIMIT ${limitOf(query.limit)}`.pipe(Effect.flatMap(toPromotions), Effect.mapError(unavailable)),

    // The partial index promotions_automatic holds exactly the active promotions without a code.
    automatic: (providerId) =>
      sql<PromotionRow>`
        SELECT ${cols} FROM orders.promotions
        WHERE active AND code IS NULL AND (provider_id IS NULL ${isUuid(providerId) ? sql`OR provider_id = ${providerId}` : sql``})
        ORDER BY id`.pipe(Effect.flatMap(toPromotions), Effect.mapError(unavailable)),

    // The promotion's row lock queues every use of it: each decision sees the uses before it. The
    // lock is held to the end of the caller's transaction (its own, when called outside one).
    recordUse: (use, decide) =>
      !isUuid(use.promotionId) ? Effect.succeed("unknown_code" as const) : sql.withTransaction(Effect.gen(function*() {
        const locked = yield* firstPromotion(yield* sql<PromotionRow>`SELECT ${cols} FROM orders.promotions WHERE id = ${use.promotionId} FOR UPDATE`)
        if (Option.isNone(locked)) return "unknown_code" as const
        const promotion = locked.value
        const [mine] = yield* sql<{ count: number }>`
          SELECT count(*)::integer AS count FROM orders.promotion_uses
          WHERE promotion_id = ${promotion.id} AND customer_id = ${use.customerId} AND released_at IS NULL`
        const refusal = decide(promotion, { usesCount: promotion.usesCount, discountTotalXof: promotion.discountTotalXof, customerUses: mine?.count ?? 0 })
        if (refusal !== undefined) return refusal
        yield* sql`INSERT INTO orders.promotion_uses ${sql.insert({ orderId: use.orderId, promotionId: promotion.id, customerId: use.customerId, discountXof: use.discountXof, at: use.at })}`
        yield* sql`
          UPDATE orders.promotions SET uses_count = uses_count + 1, discount_total_xof = discount_total_xof + ${use.discountXof}
          WHERE id = ${promotion.id}`
        return undefined
      })).pipe(Effect.mapError((failure) => failure instanceof OrdersUnavailable ? failure : unavailable(failure))),

    // Under the promotion's lock, taken before the use's row as recordUse takes them.
    releaseUse: (orderId) =>
      !isUuid(orderId) ? Effect.succeed(false) : sql.withTransaction(Effect.gen(function*() {
        const [held] = yield* sql<{ promotionId: string }>`SELECT promotion_id FROM orders.promotion_uses WHERE order_id = ${orderId} AND released_at IS NULL`
        if (held === undefined) return false
        yield* sql`SELECT 1 FROM orders.promotions WHERE id = ${held.promotionId} FOR UPDATE`
        const [released] = yield* sql<{ discountXof: bigint }>`
          UPDATE orders.promotion_uses SET released_at = now() WHERE order_id = ${orderId} AND released_at IS NULL
          RETURNING discount_xof`
        // Released meanwhile by another caller: nothing left to give back.
        if (released === undefined) return false
        yield* sql`
          UPDATE orders.promotions SET uses_count = uses_count - 1, discount_total_xof = discount_total_xof - ${released.discountXof}
          WHERE id = ${held.promotionId}`
        return true
      })).pipe(Effect.mapError(unavailable))
  })
}))
