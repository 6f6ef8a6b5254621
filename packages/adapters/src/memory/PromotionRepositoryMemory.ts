import { Effect, Layer, Option } from "effect"
import { OrdersUnavailable, PromotionCodeTaken } from "@nelo/domain/orders/errors"
import { type Promotion, type PromotionRefusalReason, PromotionTerms } from "@nelo/domain/orders/Promotion"
import { PromotionRepository, type PromotionUse } from "@nelo/domain/orders/PromotionRepository"
import { xof } from "@nelo/domain/shared/Xof"
import { isUuid } from "../postgres/isUuid.ts"
import { recordUndo } from "./memoryTransaction.ts"

/** What an update may change: the terms and whether it is active; the counters move only with uses. */
const patchableKeys = [...Object.keys(PromotionTerms.fields), "active"] as ReadonlyArray<keyof PromotionTerms | "active">

const refused = (reason: string) => new OrdersUnavailable({ cause: new Error(reason) })

/** What the CHECK constraints of migration 0011 refuse in Postgres, beyond what the model's schema holds. */
const breaksConstraints = (promotion: Promotion) =>
  (promotion.endsAt !== null && promotion.endsAt.getTime() <= promotion.startsAt.getTime()) ||
  (promotion.maximumUses !== null && promotion.usesCount > promotion.maximumUses) ||
  (promotion.budgetXof !== null && promotion.discountTotalXof > promotion.budgetXof)

const byId = (left: Promotion, right: Promotion) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0)

/**
 * Promotions and their uses in memory, for unit tests, behaving as the Postgres adapter does. Every
 * method is one synchronous step (a use is decided and counted with no other in between, as under
 * the promotion's row lock); inside a memory transaction each write records how to undo it.
 */
export const PromotionRepositoryMemory = Layer.sync(PromotionRepository, () => {
  const promotions = new Map<string, Promotion>()
  /** By order: a use is kept once released, and an order has one use at most. */
  const uses = new Map<string, { readonly use: PromotionUse; released: boolean }>()

  const find = (id: string) => isUuid(id) ? promotions.get(id.toLowerCase()) : undefined
  const codeTaken = (code: string | null, id: string) => code !== null && [...promotions.values()].some((other) => other.code === code && other.id !== id)

  /** Replaces a stored promotion, to be put back should the transaction fail. */
  const replace = (previous: Promotion, next: Promotion) => {
    promotions.set(next.id, next)
    return recordUndo(() => promotions.set(previous.id, previous))
  }

  return PromotionRepository.of({
    create: (promotion) =>
      Effect.gen(function*() {
        if (codeTaken(promotion.code, promotion.id)) return yield* new PromotionCodeTaken({ code: promotion.code! })
        if (!isUuid(promotion.id) || promotions.has(promotion.id.toLowerCase()) || breaksConstraints(promotion)) {
          return yield* refused(`promotion ${promotion.id} refused by the store`)
        }
        const stored: Promotion = { ...promotion, id: promotion.id.toLowerCase() }
        promotions.set(stored.id, stored)
        yield* recordUndo(() => promotions.delete(stored.id))
        return stored
      }),

    update: (id, patch) =>
      Effect.gen(function*() {
        const current = find(id)
        if (current === undefined) return Option.none()
        const changed = Object.fromEntries(patchableKeys.filter((key) => patch[key] !== undefined).map((key) => [key, patch[key]]))
        const updated: Promotion = { ...current, ...changed, updatedAt: patch.now }
        if (codeTaken(updated.code, updated.id)) return yield* new PromotionCodeTaken({ code: updated.code! })
        if (breaksConstraints(updated)) return yield* refused(`promotion ${id} refused by the store`)
        yield* replace(current, updated)
        return Option.some(updated)
      }),

    find: (id) => Effect.sync(() => Option.fromNullishOr(find(id))),

    findByCode: (code) => Effect.sync(() => Option.fromNullishOr([...promotions.values()].find((promotion) => promotion.code === code))),

    list: (query) =>
      Effect.sync(() => {
        if (query.beforeId !== null && !isUuid(query.beforeId)) return []
        const before = query.beforeId?.toLowerCase()
        return [...promotions.values()]
          .filter((promotion) => (!query.activeOnly || promotion.active) && (before === undefined || promotion.id < before))
          .sort((left, right) => byId(right, left))
          .slice(0, Math.max(0, Math.floor(query.limit)))
      }),

    automatic: (providerId) =>
      Effect.sync(() =>
        [...promotions.values()]
          .filter((promotion) => promotion.active && promotion.code === null && (promotion.providerId === null || promotion.providerId === providerId.toLowerCase()))
          .sort(byId)
      ),

    recordUse: (use, decide) =>
      Effect.suspend((): Effect.Effect<PromotionRefusalReason | undefined, OrdersUnavailable> => {
        const promotion = find(use.promotionId)
        if (promotion === undefined) return Effect.succeed("unknown_code")
        if (!isUuid(use.orderId) || !isUuid(use.customerId)) return Effect.fail(refused(`the use of order ${use.orderId} refused by the store`))
        const stored: PromotionUse = { ...use, promotionId: promotion.id, orderId: use.orderId.toLowerCase(), customerId: use.customerId.toLowerCase() }
        let customerUses = 0
        for (const held of uses.values()) if (!held.released && held.use.promotionId === promotion.id && held.use.customerId === stored.customerId) customerUses++
        const refusal = decide(promotion, { usesCount: promotion.usesCount, discountTotalXof: promotion.discountTotalXof, customerUses })
        if (refusal !== undefined) return Effect.succeed(refusal)
        const counted: Promotion = { ...promotion, usesCount: promotion.usesCount + 1, discountTotalXof: xof(promotion.discountTotalXof + use.discountXof) }
        // The primary key (one use per order) and the CHECK constraints, as Postgres refuses them.
        if (uses.has(stored.orderId) || use.discountXof <= 0 || breaksConstraints(counted)) return Effect.fail(refused(`the use of order ${use.orderId} refused by the store`))
        uses.set(stored.orderId, { use: stored, released: false })
        return replace(promotion, counted).pipe(
          Effect.andThen(recordUndo(() => uses.delete(stored.orderId))),
          Effect.as(undefined)
        )
      }),

    releaseUse: (orderId) =>
      Effect.suspend(() => {
        const held = uses.get(orderId.toLowerCase())
        const promotion = held === undefined ? undefined : promotions.get(held.use.promotionId)
        if (held === undefined || held.released || promotion === undefined) return Effect.succeed(false)
        held.released = true
        return replace(promotion, { ...promotion, usesCount: promotion.usesCount - 1, discountTotalXof: xof(promotion.discountTotalXof - held.use.discountXof) }).pipe(
          Effect.andThen(recordUndo(() => {
            held.released = false
          })),
          Effect.as(true)
        )
      })
  })
})
