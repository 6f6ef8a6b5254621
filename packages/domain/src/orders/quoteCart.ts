import { Clock, Effect, Option } from "effect"
import { MenuRepository, type StoredMenu } from "../catalogue/MenuRepository.ts"
import { providerAt } from "../catalogue/openingState.ts"
import { ProviderRepository } from "../catalogue/ProviderRepository.ts"
import type { Provider } from "../catalogue/Provider.ts"
import { AddressRepository } from "../users/AddressRepository.ts"
import type { Address } from "../users/Address.ts"
import type { UserId } from "../users/User.ts"
import { type Xof, xof } from "../shared/Xof.ts"
import type { Cart } from "./Cart.ts"
import type { CartProblem } from "./CartProblem.ts"
import { DeliveryFeeRepository } from "./DeliveryFeeRepository.ts"
import type { AppliedPromotion, OrderLine, OrderTotals } from "./Order.ts"
import { deliveryRadiusOf, OrderPolicy } from "./OrderPolicy.ts"
import { OrderRepository } from "./OrderRepository.ts"
import { priceCart } from "./priceCart.ts"
import { normalizePromotionCode, type PromotionRefusalReason } from "./Promotion.ts"
import { PromotionRepository } from "./PromotionRepository.ts"
import { bestAutomatic, discountOf, promotionRefusal, usageRefusal } from "./promotionRules.ts"

/** A cart priced now, and every reason it cannot be ordered (empty: it can). */
export interface Quote {
  readonly lines: ReadonlyArray<OrderLine>
  readonly totals: OrderTotals
  readonly distanceM: number | null
  readonly promotion: (AppliedPromotion & { readonly label: string }) | null
  readonly problems: ReadonlyArray<CartProblem>
  /** What placing the order snapshots. */
  readonly provider: Provider | null
  readonly address: Address | null
}

const emptyMenu: StoredMenu = { categories: [], products: [], gasProducts: [] }

/**
 * Prices a customer's cart as it would be ordered now: the lines at today's prices, the delivery
 * fee for the distance, the promotion (the code given, else the best automatic one), the total,
 * and every reason it cannot be ordered, including the cash rules when cash is the method asked.
 * Nothing is reserved: stock and promotion uses are taken when the order is placed.
 */
export const makeQuoteCart = Effect.gen(function*() {
  const providers = yield* ProviderRepository
  const menus = yield* MenuRepository
  const addresses = yield* AddressRepository
  const fees = yield* DeliveryFeeRepository
  const promotions = yield* PromotionRepository
  const orders = yield* OrderRepository
  const policy = yield* OrderPolicy

  /** The promotion that applies and its discount, or the reason the one asked for does not. */
  const choosePromotion = Effect.fnUntraced(function*(customerId: UserId, cart: Cart, nowMs: number, subtotalXof: Xof, deliveryFeeXof: Xof) {
    const context = (customerOrdersBefore: number) => ({ nowMs, providerId: cart.providerId, subtotalXof, deliveryFeeXof, customerOrdersBefore })
    if (cart.promoCode === null) {
      const automatic = yield* promotions.automatic(cart.providerId)
      if (automatic.length === 0) return { promotion: null, problem: null }
      // Counted only when a first-order promotion is among them: one read less on most carts.
      const before = automatic.some((promotion) => promotion.firstOrderOnly) ? yield* orders.countNotCancelled(customerId) : 0
      const best = bestAutomatic(automatic.filter((promotion) => usageRefusal(promotion, { usesCount: promotion.usesCount, discountTotalXof: promotion.discountTotalXof, customerUses: 0 }, discountOf(promotion, subtotalXof, deliveryFeeXof)) === undefined), context(before))
      return { promotion: best ?? null, problem: null }
    }
    const code = normalizePromotionCode(cart.promoCode)
    const refused = (reason: PromotionRefusalReason, minimumSubtotalXof: Xof | null = null) =>
      ({ promotion: null, problem: { _tag: "PromotionRefused", code, reason, minimumSubtotalXof } satisfies CartProblem })
    const found = yield* promotions.findByCode(code)
    if (Option.isNone(found)) return refused("unknown_code")
    const promotion = found.value
    const before = promotion.firstOrderOnly ? yield* orders.countNotCancelled(customerId) : 0
    const reason = promotionRefusal(promotion, context(before)) ??
      // The customer's own uses are counted when the order takes the code, under its lock.
      usageRefusal(promotion, { usesCount: promotion.usesCount, discountTotalXof: promotion.discountTotalXof, customerUses: 0 }, discountOf(promotion, subtotalXof, deliveryFeeXof))
    if (reason !== undefined) return refused(reason, reason === "below_minimum" ? promotion.minimumSubtotalXof : null)
    return { promotion, problem: null }
  })

  return Effect.fn("Orders.quote")(function*(customerId: UserId, cart: Cart) {
    const nowMs = yield* Clock.currentTimeMillis
    const [provider, menu, ownAddresses, feeSchedule] = yield* Effect.all([
      providers.findById(cart.providerId),
      menus.menu(cart.providerId),
      addresses.list(customerId),
      fees.current
    ], { concurrency: "unbounded" })
    const address = ownAddresses.find((candidate) => candidate.id === cart.addressId) ?? null
    const priced = priceCart({
      cart,
      provider: Option.isSome(provider) ? providerAt(provider.value, nowMs) : null,
      menu: Option.isSome(provider) ? menu : emptyMenu,
      address,
      radiusM: deliveryRadiusOf(policy, cart.providerId),
      feeSchedule
    })
    const problems: Array<CartProblem> = [...priced.problems]
    const chosen = yield* choosePromotion(customerId, cart, nowMs, priced.subtotalXof, priced.deliveryFeeXof)
    if (chosen.problem !== null) problems.push(chosen.problem)
    const discountXof = chosen.promotion === null ? xof(0) : discountOf(chosen.promotion, priced.subtotalXof, priced.deliveryFeeXof)
    const totals: OrderTotals = {
      subtotalXof: priced.subtotalXof,
      deliveryFeeXof: priced.deliveryFeeXof,
      discountXof,
      totalXof: xof(priced.subtotalXof + priced.deliveryFeeXof - discountXof)
    }
    if (cart.paymentMethod === "cash") {
      if (totals.totalXof > policy.cashOrderMaximumXof) problems.push({ _tag: "CashAboveMaximum", maximumXof: policy.cashOrderMaximumXof })
      const outcomes = yield* orders.lastCashOutcomes(customerId, policy.cashRefusedAfterFailedOrders)
      if (policy.cashRefusedAfterFailedOrders > 0 && outcomes.length === policy.cashRefusedAfterFailedOrders && outcomes.every((status) => status === "failed")) {
        problems.push({ _tag: "CashRefusedAfterFailures", failedOrders: outcomes.length })
      }
    }
    return {
      lines: priced.lines,
      totals,
      distanceM: priced.distanceM,
      promotion: chosen.promotion === null ? null : {
        promotionId: chosen.promotion.id,
        code: chosen.promotion.code,
        discountXof,
        fundedBy: chosen.promotion.fundedBy,
        label: chosen.promotion.label
      },
      problems,
      provider: Option.getOrNull(provider),
      address
    } satisfies Quote
  })
})

export type QuoteCart = Effect.Success<typeof makeQuoteCart>
