import { Clock, Effect, Option } from "effect"
import { ProviderRepository } from "../catalogue/ProviderRepository.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { requireAdmin } from "../users/setUserRoles.ts"
import type { Viewer } from "./orderAccess.ts"
import { xof } from "../shared/Xof.ts"
import { PromotionNotFound, PromotionTermsInvalid } from "./errors.ts"
import { promotionCursor } from "./orderCursor.ts"
import { normalizePromotionCode, type Promotion, type PromotionTerms } from "./Promotion.ts"
import { PromotionRepository } from "./PromotionRepository.ts"

/**
 * Admins create promotions, list them (newest first, active only or all), change their terms and
 * deactivate them. A deactivated promotion applies to no new order; orders that used it keep it.
 */
export const makeAdministerPromotions = Effect.gen(function*() {
  const promotions = yield* PromotionRepository
  const providers = yield* ProviderRepository
  const ids = yield* IdGenerator

  const checkTerms = Effect.fnUntraced(function*(terms: Pick<PromotionTerms, "startsAt" | "endsAt" | "providerId">) {
    if (terms.endsAt !== null && terms.endsAt.getTime() <= terms.startsAt.getTime()) return yield* new PromotionTermsInvalid({ reason: "ends_before_start" })
    if (terms.providerId !== null && Option.isNone(yield* providers.findById(terms.providerId))) return yield* new PromotionTermsInvalid({ reason: "provider_not_found" })
  })

  return {
    create: Effect.fn("Promotions.create")(function*(viewer: Viewer, terms: PromotionTerms) {
      yield* requireAdmin(viewer)
      yield* checkTerms(terms)
      const now = new Date(yield* Clock.currentTimeMillis)
      const promotion: Promotion = {
        ...terms,
        code: terms.code === null ? null : normalizePromotionCode(terms.code),
        id: yield* ids.uuid,
        active: true,
        usesCount: 0,
        discountTotalXof: xof(0),
        createdAt: now,
        updatedAt: now
      }
      return yield* promotions.create(promotion)
    }),
    list: Effect.fn("Promotions.list")(function*(viewer: Viewer, input: { readonly activeOnly: boolean; readonly cursor: string | null; readonly limit: number }) {
      yield* requireAdmin(viewer)
      const beforeId = input.cursor === null ? null : yield* promotionCursor.decode(input.cursor)
      const found = yield* promotions.list({ activeOnly: input.activeOnly, beforeId, limit: input.limit + 1 })
      const shown = found.slice(0, input.limit)
      return { promotions: shown, nextCursor: found.length > input.limit ? promotionCursor.encode(shown.at(-1)!.id) : null }
    }),
    get: Effect.fn("Promotions.get")(function*(viewer: Viewer, id: string) {
      yield* requireAdmin(viewer)
      const found = yield* promotions.find(id)
      if (Option.isNone(found)) return yield* new PromotionNotFound()
      return found.value
    }),
    update: Effect.fn("Promotions.update")(function*(viewer: Viewer, id: string, patch: Partial<PromotionTerms> & { readonly active?: boolean }) {
      yield* requireAdmin(viewer)
      const found = yield* promotions.find(id)
      if (Option.isNone(found)) return yield* new PromotionNotFound()
      const next = { ...found.value, ...patch }
      yield* checkTerms(next)
      // A limit lowered below what was already given away would make the past break it.
      if (next.maximumUses !== null && next.maximumUses < found.value.usesCount) return yield* new PromotionTermsInvalid({ reason: "maximum_uses_below_used" })
      if (next.budgetXof !== null && next.budgetXof < found.value.discountTotalXof) return yield* new PromotionTermsInvalid({ reason: "budget_below_spent" })
      const now = new Date(yield* Clock.currentTimeMillis)
      const code = patch.code === undefined ? {} : { code: patch.code === null ? null : normalizePromotionCode(patch.code) }
      const updated = yield* promotions.update(id, { ...patch, ...code, now })
      if (Option.isNone(updated)) return yield* new PromotionNotFound()
      return updated.value
    }),
    deactivate: Effect.fn("Promotions.deactivate")(function*(viewer: Viewer, id: string) {
      yield* requireAdmin(viewer)
      // No code changes here, so no code can be taken.
      const updated = yield* promotions.update(id, { active: false, now: new Date(yield* Clock.currentTimeMillis) }).pipe(Effect.catchTag("PromotionCodeTaken", Effect.die))
      if (Option.isNone(updated)) return yield* new PromotionNotFound()
      return updated.value
    })
  }
})
