import { Effect, Layer, Option } from "effect"
import { CommissionRateRepositoryMemory } from "@nelo/adapters/memory/CommissionRateRepositoryMemory"
import { SettlementRecordStoreMemory } from "@nelo/adapters/memory/SettlementRecordStoreMemory"
import { RefundRequestStoreMemory } from "@nelo/adapters/memory/RefundRequestStoreMemory"
import { Earnings } from "@nelo/domain/earnings/Earnings"
import { EarningsPolicy, type EarningsPolicyNumbers, defaultEarningsPolicy } from "@nelo/domain/earnings/EarningsPolicy"
import type { Order, PaymentMethod, PromotionFunder } from "@nelo/domain/orders/Order"
import { OrderRepository } from "@nelo/domain/orders/OrderRepository"
import { Orders } from "@nelo/domain/orders/Orders"
import type { Promotion, PromotionBenefit } from "@nelo/domain/orders/Promotion"
import { PromotionRepository } from "@nelo/domain/orders/PromotionRepository"
import { IdGenerator } from "@nelo/domain/shared/IdGenerator"
import { type Xof, xof } from "@nelo/domain/shared/Xof"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { confirmedEventOf, deliverOrder, dispatchContext, type onlineDriver } from "../deliveries/dispatchFixtures.ts"
import { customer, type restaurant } from "../orders/ordersFixtures.ts"

// Settlement on the memory adapters: the deliveries context (dispatch, the drivers' steps, and under
// it the orders, the catalogue, the ledger) and the earnings' own ports. The helpers below use ports
// only, so the Postgres tests (the worker's, the CLI's) build the same orders on the real adapters.

export type Place = Effect.Success<ReturnType<typeof restaurant>>
export type Driver = Effect.Success<ReturnType<typeof onlineDriver>>

/** Earnings on top of dispatchContext, with the commission overrides in memory and `policy`'s defaults. */
export const earningsContext = (policy: Partial<EarningsPolicyNumbers> = {}) =>
  Earnings.layer.pipe(
    Layer.provideMerge(Layer.mergeAll(CommissionRateRepositoryMemory, SettlementRecordStoreMemory, RefundRequestStoreMemory, Layer.succeed(EarningsPolicy, { ...defaultEarningsPolicy, ...policy }))),
    Layer.provideMerge(dispatchContext())
  )

/** An administrator, as the earnings' admin use cases check one (their role). */
export const admin = { userId: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", roles: ["admin" as const] }

/** A promotion code of the run's own (codes are unique in the store). */
const promotionCode = () => `EARN${crypto.randomUUID().replaceAll("-", "").slice(0, 12).toUpperCase()}`

/** A promotion for every provider, started long ago, active, with no limit: `benefit`, paid by `fundedBy`. */
export const promotionOf = (benefit: PromotionBenefit, fundedBy: PromotionFunder, id: string, code: string | null): Promotion => ({
  id,
  code,
  label: "Promo test",
  benefit,
  minimumSubtotalXof: xof(0),
  maximumDiscountXof: null,
  startsAt: new Date(0),
  endsAt: null,
  maximumUses: null,
  budgetXof: null,
  perCustomerLimit: null,
  firstOrderOnly: false,
  providerId: null,
  fundedBy,
  active: true,
  usesCount: 0,
  discountTotalXof: xof(0),
  createdAt: new Date(0),
  updatedAt: new Date(0)
})

/** That promotion under a code of its own, in the store. */
export const aPromotion = (benefit: PromotionBenefit, fundedBy: PromotionFunder) =>
  Effect.gen(function*() {
    return yield* (yield* PromotionRepository).create(promotionOf(benefit, fundedBy, yield* (yield* IdGenerator).uuid, promotionCode()))
  })

export interface OrderSpec {
  readonly paymentMethod?: Extract<PaymentMethod, "wallet" | "cash">
  readonly promoCode?: string | null
  /** Garbas (1,500 F, large: +500 F). */
  readonly garbas?: number
  readonly large?: boolean
  /** Petroci B6 refills (2,000 F). */
  readonly refills?: number
}

/** An order at `place` by a new customer (funded for a wallet order), confirmed, and its `order.confirmed` event. */
export const confirmedAt = (place: Place, spec: OrderSpec = {}) =>
  Effect.gen(function*() {
    const paymentMethod = spec.paymentMethod ?? "wallet"
    const buyer = yield* customer(paymentMethod === "wallet" ? 50_000 : 0)
    const orders = yield* Orders
    const items = [
      ...((spec.garbas ?? 1) > 0 ? [{ productId: place.garbaId, quantity: spec.garbas ?? 1, options: [spec.large === true ? "size-large" : "size-small"] }] : []),
      ...((spec.refills ?? 0) > 0 ? [{ gasProductId: place.gasId, quantity: spec.refills!, sale: "refill" }] : [])
    ]
    const placed = yield* orders.place(buyer.id, {
      providerId: place.provider.id,
      items,
      addressId: buyer.addressId,
      promoCode: spec.promoCode ?? null,
      paymentMethod,
      note: null,
      pin: paymentMethod === "wallet" ? buyer.pin : null,
      idempotencyKey: `earnings-order-${crypto.randomUUID()}`
    } as never)
    const confirmed = yield* orders.confirm(place.owner as never, placed.id, 10)
    return { order: confirmed, event: yield* confirmedEventOf(confirmed), customer: buyer, place }
  })

/** The order delivered by `driver` (deliverOrder: he must be among those offered it), as it ended. */
export const deliver = (placed: Effect.Success<ReturnType<typeof confirmedAt>>, driver: Driver) => Effect.map(deliverOrder(placed, driver), (delivered) => delivered.order)

/** The order as stored now. */
export const orderNow = (orderId: string) => Effect.map(OrderRepository.use((orders) => orders.findById(orderId)), Option.getOrThrow)

/** The balances settlement touches: the provider's escrow and earnings, the driver's earnings and cash in hand, the platform's revenue. */
export const balances = (providerId: string, driverId: string) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const balanceOf = (account: Effect.Effect<{ readonly id: string }, unknown>) =>
      Effect.flatMap(account, (opened) => Effect.map(ledger.stateOf(opened.id), (state): Xof => state.balanceXof))
    const [escrow, provider, driver, cashInHand, platform] = yield* Effect.all([
      balanceOf(ledger.escrowOf(providerId)),
      balanceOf(ledger.providerEarningsOf(providerId)),
      balanceOf(ledger.driverEarningsOf(driverId)),
      balanceOf(ledger.cashInHandOf(driverId)),
      balanceOf(ledger.platformRevenue)
    ])
    return { escrow, provider, driver, cashInHand, platform }
  })

/** The settlement transaction of an order, if written. */
export const settlementOf = (order: Order) => Ledger.use((ledger) => ledger.findByKey(`order-settlement:${order.id}`))
