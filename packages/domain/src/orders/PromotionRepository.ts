import { Context, type Effect, type Option } from "effect"
import type { Xof } from "../shared/Xof.ts"
import type { OrdersUnavailable, PromotionCodeTaken } from "./errors.ts"
import type { Promotion, PromotionRefusalReason, PromotionTerms, PromotionUsage } from "./Promotion.ts"

export interface PromotionUse {
  readonly promotionId: string
  readonly orderId: string
  readonly customerId: string
  readonly discountXof: Xof
  readonly at: Date
}

export interface PromotionListQuery {
  readonly activeOnly: boolean
  /** Strictly older than this id (time-ordered): newest first. */
  readonly beforeId: string | null
  readonly limit: number
}

/**
 * Promotions and their uses. Codes are stored normalized (normalizePromotionCode) and unique.
 * A use is counted under the promotion's row lock: `decide` (the domain's usageRefusal) sees the
 * counts as they are and either refuses or lets the use be written, so no limit is ever passed.
 */
export class PromotionRepository extends Context.Service<PromotionRepository, {
  readonly create: (promotion: Promotion) => Effect.Effect<Promotion, OrdersUnavailable | PromotionCodeTaken>
  readonly update: (id: string, patch: Partial<PromotionTerms> & { readonly active?: boolean; readonly now: Date }) => Effect.Effect<Option.Option<Promotion>, OrdersUnavailable | PromotionCodeTaken>
  readonly find: (id: string) => Effect.Effect<Option.Option<Promotion>, OrdersUnavailable>
  readonly findByCode: (code: string) => Effect.Effect<Option.Option<Promotion>, OrdersUnavailable>
  readonly list: (query: PromotionListQuery) => Effect.Effect<ReadonlyArray<Promotion>, OrdersUnavailable>
  /** Active promotions without a code for every provider or this one (their windows are the domain's to check). */
  readonly automatic: (providerId: string) => Effect.Effect<ReadonlyArray<Promotion>, OrdersUnavailable>
  /**
   * Counts one use if `decide` lets it: the refusal, or undefined once written. The use holds until
   * released. Meant for inside the Transactional run that creates the order.
   */
  readonly recordUse: (
    use: PromotionUse,
    decide: (promotion: Promotion, usage: PromotionUsage) => PromotionRefusalReason | undefined
  ) => Effect.Effect<PromotionRefusalReason | undefined, OrdersUnavailable>
  /** Gives back the order's use (it was cancelled); false when it had none or it was given back already. */
  readonly releaseUse: (orderId: string) => Effect.Effect<boolean, OrdersUnavailable>
}>()("nelo/orders/PromotionRepository") {}
