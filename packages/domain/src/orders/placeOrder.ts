import { Clock, Effect, Option, Schema } from "effect"
import { AuthCrypto } from "../auth/AuthCrypto.ts"
import { makeVerifyPin } from "../auth/pin.ts"
import { OutboxStore } from "../events/OutboxStore.ts"
import { makeStartOrderCheckout } from "../payments/startOrderCheckout.ts"
import { makeSystemChange } from "./changeOrder.ts"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { Transactional } from "../shared/Transactional.ts"
import type { UserId } from "../users/User.ts"
import { Ledger } from "../wallet/Ledger.ts"
import { makePayFromWallet } from "../wallet/payFromWallet.ts"
import { orderChangedEvent } from "./applyDecision.ts"
import type { Cart } from "./Cart.ts"
import { CartRefused, OrderKeyReused, PinRequired } from "./errors.ts"
import { deliveryCodeLength, initialPaymentStatus, type Order, type PaymentMethod } from "./Order.ts"
import { makeNewOrderReference } from "./orderReference.ts"
import { OrderRepository } from "./OrderRepository.ts"
import { OrderFeed } from "./OrderFeed.ts"
import { makeOrderStock, stockMoves } from "./orderStock.ts"
import { makeOrderNoticeEvents } from "./orderNotices.ts"
import { CatalogueCache } from "../catalogue/CatalogueCache.ts"
import { PromotionRepository } from "./PromotionRepository.ts"
import { usageRefusal } from "./promotionRules.ts"
import { makeQuoteCart } from "./quoteCart.ts"

export interface PlaceOrderInput extends Cart {
  readonly paymentMethod: PaymentMethod
  readonly note: string | null
  /** The wallet's PIN; only for wallet payments. */
  readonly pin: string | null
  /** The app's key for this order: a retry after a lost answer sends the same one. */
  readonly idempotencyKey: string
}

/** The ledger key of an order's payment into escrow: one payment per order. */
export const orderPaymentKey = (orderId: string) => `order-payment:${orderId}`

/** The same key found already used by another attempt: the order it made. */
class KeyTakenMeanwhile extends Schema.TaggedError<KeyTakenMeanwhile>()("KeyTakenMeanwhile", { orderId: Schema.String }) {}
class ReferenceTaken extends Schema.TaggedError<ReferenceTaken>()("ReferenceTaken", {}) {}

/** What identifies the request behind a key, so that the same key with another cart is told apart. */
const requestText = (input: PlaceOrderInput) =>
  JSON.stringify([input.providerId, input.addressId, input.paymentMethod, input.promoCode, input.note, input.items.map((item) =>
    "gasProductId" in item ? ["gas", item.gasProductId, item.quantity, item.sale] : ["product", item.productId, item.quantity, [...item.options].sort()])])

/** References are drawn again on collision; past this many, something else is wrong. */
const referenceAttempts = 5

/**
 * Places an order. The cart is quoted now (every refusal named) and its delivery code drawn; then,
 * in one transaction: the order is written (its key claimed first: the same key sent twenty times
 * at once makes one order), its stock reserved, its promotion's use counted under the promotion's
 * lock, and for a wallet order its total paid from the wallet into the provider's escrow (PIN
 * checked before, freezes, limits and balance under the ledger's locks), with its `order.created`
 * event. Any refusal undoes all of it: no order without its payment, no payment without its order.
 * A cash order pays at the door; a Wave or CinetPay order waits for its gateway's confirmation.
 */
export const makePlaceOrder = Effect.gen(function*() {
  const orders = yield* OrderRepository
  const promotions = yield* PromotionRepository
  const ledger = yield* Ledger
  const outbox = yield* OutboxStore
  const transactional = yield* Transactional
  const feed = yield* OrderFeed
  const ids = yield* IdGenerator
  const crypto = yield* AuthCrypto
  const quoteCart = yield* makeQuoteCart
  const verifyPin = yield* makeVerifyPin
  const payFromWallet = yield* makePayFromWallet
  const stock = yield* makeOrderStock
  const newReference = yield* makeNewOrderReference
  const cache = yield* CatalogueCache
  const noticeEvents = yield* makeOrderNoticeEvents
  const startOrderCheckout = yield* makeStartOrderCheckout
  const systemChange = yield* makeSystemChange

  /** The order already made with this key: the answer to a retry, or a refusal if the cart differs. */
  const replay = (existing: Order, digest: string) =>
    existing.requestDigest === digest ? Effect.succeed(existing) : Effect.fail(new OrderKeyReused({ reference: existing.reference }))

  /**
   * A gateway order's checkout, opened once the order is written (its stock held for it). Neither
   * gateway able to open one: the order is cancelled at once (nothing was paid; the platform
   * responsible) and the customer told the payment is unavailable, rather than left with an order
   * nobody can pay.
   */
  const openCheckoutOrGiveUp = (order: Order) =>
    startOrderCheckout(order).pipe(
      Effect.catchTag("PaymentsUnavailable", (unavailable) =>
        systemChange(order.id, { _tag: "Cancel", reason: "Paiement en ligne indisponible", responsible: "platform" }, "checkout_unavailable").pipe(
          // Cancelled meanwhile by someone else: nothing more to undo.
          Effect.catchTags({ OrderNotCancellable: () => Effect.void, OrderTransitionRefused: () => Effect.void }),
          Effect.andThen(Effect.fail(unavailable))
        ))
    )

  return Effect.fn("Orders.place")(function*(customerId: UserId, input: PlaceOrderInput) {
    const digest = crypto.digest(`order:v1:${requestText(input)}`)
    const earlier = yield* orders.findByKey(customerId, input.idempotencyKey)
    if (Option.isSome(earlier)) {
      const again = yield* replay(earlier.value, digest)
      // A retry after a lost answer, or after a crash between the order and its checkout: the
      // checkout is opened if it was not (asked again, the one opened is kept).
      if (again.paymentStatus === "awaiting" && again.status === "pending") yield* openCheckoutOrGiveUp(again)
      return again
    }
    if (input.paymentMethod === "wallet") {
      if (input.pin === null) return yield* new PinRequired()
      yield* verifyPin(customerId, input.pin)
    }
    const quote = yield* quoteCart(customerId, input)
    if (quote.problems.length > 0) return yield* new CartRefused({ problems: quote.problems })
    const provider = quote.provider!
    const address = quote.address!
    const now = new Date(yield* Clock.currentTimeMillis)
    const id = yield* ids.uuid
    // Drawn from the CSPRNG, as the OTPs are: a code that could be guessed would prove no delivery.
    const deliveryCode = yield* crypto.newOtpCode(deliveryCodeLength)

    const write = (reference: string) =>
      transactional.run(Effect.gen(function*() {
        const order: Order = {
          id,
          reference,
          customerId,
          providerId: provider.id,
          status: "pending",
          lines: quote.lines,
          totals: quote.totals,
          promotion: quote.promotion === null ? null : { promotionId: quote.promotion.promotionId, code: quote.promotion.code, discountXof: quote.promotion.discountXof, fundedBy: quote.promotion.fundedBy },
          paymentMethod: input.paymentMethod,
          // A wallet order is paid below, in this transaction (or not written at all).
          paymentStatus: initialPaymentStatus(input.paymentMethod, quote.totals.totalXof),
          pickup: { name: provider.name, location: provider.location, landmark: provider.landmark },
          destination: { addressId: address.id, label: address.label, location: address.location, landmark: address.landmark, zone: address.zone! },
          distanceM: quote.distanceM ?? 0,
          note: input.note,
          preparationMinutes: null,
          cancellation: null,
          idempotencyKey: input.idempotencyKey,
          requestDigest: digest,
          deliveryCode,
          createdAt: now,
          updatedAt: now
        }
        const created = yield* orders.create(order, { orderId: id, change: "created", from: null, to: "pending", actor: { kind: "customer", id: customerId }, reason: null, at: now })
        if (created._tag === "KeyTaken") return yield* new KeyTakenMeanwhile({ orderId: created.existing.id })
        if (created._tag === "ReferenceTaken") return yield* new ReferenceTaken()
        yield* stock.reserve(order)
        if (order.promotion !== null) {
          const refusal = yield* promotions.recordUse(
            { promotionId: order.promotion.promotionId, orderId: id, customerId, discountXof: order.promotion.discountXof, at: now },
            (promotion, usage) => usageRefusal(promotion, usage, order.promotion!.discountXof)
          )
          if (refusal !== undefined) {
            return yield* new CartRefused({ problems: [{ _tag: "PromotionRefused", code: order.promotion.code, reason: refusal, minimumSubtotalXof: null }] })
          }
        }
        if (input.paymentMethod === "wallet" && order.totals.totalXof > 0) {
          yield* payFromWallet({
            payerId: customerId,
            to: yield* ledger.escrowOf(provider.id),
            amountXof: order.totals.totalXof,
            idempotencyKey: orderPaymentKey(id),
            reference: reference,
            note: null
          })
        }
        yield* outbox.append([orderChangedEvent(yield* ids.uuid, order, created.change), ...(yield* noticeEvents(order, created.change))])
        yield* transactional.afterCommit(feed.publish({ change: created.change, order }))
        return order
      }))

    for (let attempt = 1; ; attempt++) {
      const placed = yield* write(yield* newReference).pipe(
        Effect.map(Option.some),
        Effect.catchTag("ReferenceTaken", (taken) => attempt < referenceAttempts ? Effect.succeed(Option.none<Order>()) : Effect.die(taken)),
        // Another attempt with this key got there first: its order is the answer (this one wrote nothing).
        Effect.catchTag("KeyTakenMeanwhile", (taken) =>
          orders.findById(taken.orderId).pipe(
            Effect.flatMap((found) => Option.isSome(found) ? Effect.map(replay(found.value, digest), Option.some) : Effect.die(new Error("an order claimed its key and vanished")))
          ))
      )
      if (Option.isSome(placed)) {
        // After the commit: invalidated before it, a reader could cache the old stock again.
        if (stockMoves(placed.value.lines).length > 0) yield* cache.invalidateMenu(placed.value.providerId)
        if (placed.value.paymentStatus === "awaiting") yield* openCheckoutOrGiveUp(placed.value)
        return placed.value
      }
    }
  })
})
