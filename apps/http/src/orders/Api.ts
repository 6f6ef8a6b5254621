import { Schema, SchemaTransformation, Struct } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { GasSale, OrderStatus, PaymentMethod, PromotionFunder, RefundDestination } from "@nelo/domain/orders/Order"
import { PromotionCode } from "@nelo/domain/orders/Promotion"
import { isPlainText } from "@nelo/domain/shared/plainText"
import { Pin } from "../auth/Api.ts"
import { PinIncorrectProblem, PinNotSetProblem } from "../auth/errors.ts"
import { AdminAuthentication, Authentication } from "../shared/Authentication.ts"
import { IntBetween, IntFromQuery } from "../shared/bounded.ts"
import { ServiceUnavailable, TooManyRequestsProblem } from "../shared/problems.ts"
import { AdminRoleRequiredProblem } from "../users/errors.ts"
import { BalanceOutOfRangeProblem, IdempotencyKeyReusedProblem, InsufficientFundsProblem, LimitExceededProblem, PaymentsUnavailableProblem, WalletFrozenProblem } from "../wallet/errors.ts"
import {
  CartRefusedProblem,
  LiveUpdatesUnavailableProblem,
  OrderActionForbiddenProblem,
  OrderAwaitingPaymentProblem,
  OrderCursorInvalidProblem,
  OrderKeyReusedProblem,
  OrderNotCancellableProblem,
  OrderNotFoundProblem,
  OrderNotRefundableProblem,
  OrderTransitionRefusedProblem,
  PinRequiredProblem,
  PreparationMinutesInvalidProblem,
  PromotionCodeTakenProblem,
  RefundToOriginalUnavailableProblem,
  PromotionNotFoundProblem,
  PromotionTermsInvalidProblem,
  ProviderNotFoundForOrdersProblem,
  RefundExceedsPaidProblem
} from "./errors.ts"
import { BenefitView, DeliveryFeesView, OrdersPage, OrderStreamEvent, OrderView, PromotionsPage, PromotionView, QuoteView, TrackingView } from "./views.ts"

const Id = Schema.String.pipe(Schema.check(Schema.isMaxLength(36), Schema.isUUID()))
const Cursor = Schema.String.pipe(Schema.check(Schema.isMaxLength(512)))
const PageSize = IntFromQuery(1, 50)
const Quantity = IntBetween(1, 50)
// Chosen by the app, once per order: a UUID is ideal, any short printable token is accepted.
const IdempotencyKey = Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9_.:-]{8,100}$/u, { expected: "une clé d'idempotence de 8 à 100 caractères (lettres, chiffres, _ . : -)" })))
const Note = Schema.String.pipe(Schema.check(isPlainText, Schema.isMaxLength(500)))
const Reason = Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMinLength(3), Schema.isMaxLength(500)))
/** An instant with its offset: 2026-12-24T18:00:00Z (Abidjan is UTC all year). */
const Instant = Schema.String.pipe(
  Schema.check(Schema.isMaxLength(40), Schema.isPattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/u, { expected: "une date et heure ISO 8601 avec fuseau (2026-12-24T18:00:00Z)" })),
  Schema.decodeTo(Schema.Date.check(Schema.makeFilter((date: Date) => !Number.isNaN(date.getTime()), { expected: "une date qui existe" })), SchemaTransformation.dateFromString)
)

/** `?status=pending,confirmed`: one status or several, comma-separated. */
const StatusesFromQuery = Schema.String.pipe(
  Schema.check(Schema.isMaxLength(200), Schema.isPattern(/^[a-z_]+(?:,[a-z_]+)*$/u, { expected: "des statuts séparés par des virgules (pending,confirmed)" })),
  Schema.decodeTo(Schema.Array(OrderStatus), SchemaTransformation.transform<ReadonlyArray<OrderStatus>, string>({
    // Each piece is then checked by OrderStatus: the cast only names what that check proves.
    decode: (text) => text.split(",") as ReadonlyArray<OrderStatus>,
    encode: (statuses) => statuses.join(",")
  }))
)

/** What a live stream resumes after: the id of the last event the app received (its position). */
const liveStreamHeaders = {
  "last-event-id": Schema.optionalKey(IntFromQuery(0, Number.MAX_SAFE_INTEGER))
}

const ProductItem = Schema.Struct({
  productId: Id,
  quantity: Quantity,
  /** The chosen options' ids (a size, sides, extras). */
  options: Schema.optionalKey(Schema.Array(Id).pipe(Schema.check(Schema.isMaxLength(20))))
})
const GasItem = Schema.Struct({ gasProductId: Id, quantity: Quantity, sale: GasSale })

const cartFields = {
  providerId: Id,
  items: Schema.Array(Schema.Union([ProductItem, GasItem])).pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(30))),
  addressId: Id,
  promoCode: Schema.optionalKey(PromotionCode)
}

export const QuotePayload = Schema.Struct({ ...cartFields, paymentMethod: Schema.optionalKey(PaymentMethod) })
export const PlaceOrderPayload = Schema.Struct({
  ...cartFields,
  paymentMethod: PaymentMethod,
  note: Schema.optionalKey(Note),
  /** Required to pay with the wallet. */
  pin: Schema.optionalKey(Pin),
  idempotencyKey: IdempotencyKey
})

const listQuery = { status: Schema.optionalKey(StatusesFromQuery), cursor: Schema.optionalKey(Cursor), limit: Schema.optionalKey(PageSize) }

/** What a change of an order can answer: the state machine's refusals. */
/** What a change of an order may answer (the drivers' steps change orders too). */
export const changeErrors = [
  OrderNotFoundProblem,
  OrderTransitionRefusedProblem,
  OrderActionForbiddenProblem,
  OrderNotCancellableProblem,
  OrderAwaitingPaymentProblem,
  PreparationMinutesInvalidProblem,
  RefundToOriginalUnavailableProblem,
  ServiceUnavailable
] as const

export class OrdersApi extends HttpApiGroup.make("orders")
  .add(
    HttpApiEndpoint.post("quote", "/orders/quote", {
      payload: QuotePayload,
      success: QuoteView,
      error: [OrderNotFoundProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Chiffre un panier sans rien réserver : lignes, sous-total, frais de livraison, réduction, total, et toutes les raisons pour lesquelles il ne peut pas être commandé (problems, chacune avec son code et sa ligne). Avec paymentMethod, les règles de ce moyen de paiement s'appliquent (plafond espèces)."),
    HttpApiEndpoint.post("place", "/orders", {
      payload: PlaceOrderPayload,
      success: OrderView.pipe(HttpApiSchema.status(201)),
      error: [
        CartRefusedProblem,
        PinRequiredProblem,
        PinIncorrectProblem,
        PinNotSetProblem,
        TooManyRequestsProblem,
        InsufficientFundsProblem,
        BalanceOutOfRangeProblem,
        LimitExceededProblem,
        WalletFrozenProblem,
        OrderKeyReusedProblem,
        PaymentsUnavailableProblem,
        ServiceUnavailable
      ]
    }).annotate(OpenApi.Description, "Passe une commande (référence ORD-XXXXXXXX). Portefeuille : avec le code PIN, le total est débité à la création. Espèces : payé à la livraison. Wave ou CinetPay : la commande attend son paiement ; ouvrez payment.paymentUrl (la commande n'est transmise au commerce qu'une fois le paiement confirmé par la passerelle ; non payée à temps, elle expire). Passerelles indisponibles : 503 payments_unavailable, rien n'est gardé. Même idempotencyKey : la même commande, rien de plus."),
    HttpApiEndpoint.get("list", "/orders", { query: listQuery, success: OrdersPage, error: [OrderCursorInvalidProblem, ServiceUnavailable] })
      .annotate(OpenApi.Description, "Mes commandes, plus récentes d'abord (status=pending,confirmed pour filtrer ; cursor = nextCursor)."),
    HttpApiEndpoint.get("get", "/orders/:orderId", { params: { orderId: Id }, success: OrderView, error: [OrderNotFoundProblem, ServiceUnavailable] })
      .annotate(OpenApi.Description, "Une commande : la mienne, ou celle de mon commerce."),
    HttpApiEndpoint.put("cancel", "/orders/:orderId/cancel", {
      params: { orderId: Id },
      payload: Schema.Struct({ reason: Reason, refundTo: Schema.optionalKey(RefundDestination) }),
      success: OrderView,
      error: changeErrors
    }).annotate(OpenApi.Description, "Annule ma commande : gratuit tant que le commerce ne l'a pas acceptée, ensuite selon la politique. Une commande payée est remboursée aussitôt sur le portefeuille ; avec refundTo \"original\", une commande payée par Wave est remboursée sur le compte Wave qui l'a payée (paymentStatus refunding, puis refunded quand Wave l'a accepté ; refusé par Wave, sur le portefeuille). CinetPay ne rembourse pas : 409 refund_to_original_unavailable."),
    HttpApiEndpoint.get("tracking", "/orders/:orderId/tracking", { params: { orderId: Id }, success: TrackingView, error: [OrderNotFoundProblem, ServiceUnavailable] })
      .annotate(OpenApi.Description, "Suivi : statut, historique (heure et auteur de chaque étape), point de retrait, destination, et la livraison (livreur, position, heure d'arrivée) dès qu'elle existe."),
    HttpApiEndpoint.get("orderEvents", "/orders/:orderId/events", {
      params: { orderId: Id },
      headers: liveStreamHeaders,
      success: [HttpApiSchema.StreamSse({ events: OrderStreamEvent }), HttpApiSchema.NoContent],
      error: [OrderNotFoundProblem, LiveUpdatesUnavailableProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Suivi en direct (Server-Sent Events) : l'historique de la commande, puis `ready`, puis chaque changement dès qu'il a lieu (événements order.confirmed, order.ready...), et un `heartbeat` régulier. Reconnecté avec Last-Event-ID, le flux reprend après le dernier événement reçu, sans perte ni doublon. Il se termine après le dernier changement de la commande, et à l'expiration du jeton d'accès (reconnectez-vous avec un jeton frais) ; 204 quand la commande est terminée et qu'il n'y a plus rien à envoyer. En cas de 503, interrogez le suivi (/tracking)."),
    HttpApiEndpoint.get("providerOrderEvents", "/providers/:providerId/orders/events", {
      params: { providerId: Id },
      headers: liveStreamHeaders,
      success: HttpApiSchema.StreamSse({ events: OrderStreamEvent }),
      error: [ProviderNotFoundForOrdersProblem, LiveUpdatesUnavailableProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Les commandes de mon commerce en direct (Server-Sent Events) : `ready` à l'ouverture, puis chaque nouvelle commande et chaque changement (les commandes Wave ou CinetPay apparaissent une fois payées). Reconnecté avec Last-Event-ID, reprend sans perte ni doublon ; se termine à l'expiration du jeton d'accès."),
    HttpApiEndpoint.get("providerOrders", "/providers/:providerId/orders", {
      params: { providerId: Id },
      query: listQuery,
      success: OrdersPage,
      error: [ProviderNotFoundForOrdersProblem, OrderCursorInvalidProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Les commandes de mon commerce, plus récentes d'abord (status=pending,confirmed,preparing,ready pour celles en cours)."),
    HttpApiEndpoint.post("confirm", "/orders/:orderId/confirm", {
      params: { orderId: Id },
      payload: Schema.Struct({ preparationMinutes: IntBetween(1, 1440) }),
      success: OrderView,
      error: changeErrors
    }).annotate(OpenApi.Description, "Le commerce accepte la commande, avec son temps de préparation en minutes."),
    HttpApiEndpoint.post("reject", "/orders/:orderId/reject", {
      params: { orderId: Id },
      payload: Schema.Struct({ reason: Reason }),
      success: OrderView,
      error: changeErrors
    }).annotate(OpenApi.Description, "Le commerce refuse la commande : le client est remboursé aussitôt."),
    HttpApiEndpoint.post("preparing", "/orders/:orderId/preparing", { params: { orderId: Id }, success: OrderView, error: changeErrors })
      .annotate(OpenApi.Description, "Le commerce commence la préparation."),
    HttpApiEndpoint.post("ready", "/orders/:orderId/ready", { params: { orderId: Id }, success: OrderView, error: changeErrors })
      .annotate(OpenApi.Description, "La commande est prête à être récupérée par le livreur.")
  )
  .middleware(Authentication)
  .prefix("/api/v1")
  .annotateMerge(OpenApi.annotations({ title: "Commandes" }))
{}

const Responsible = Schema.Literals(["customer", "provider", "driver", "platform", "system"])

const Benefit = BenefitView

const promotionTermsFields = {
  /** Absent or null: automatic, applied without a code to every order it fits. */
  code: Schema.NullOr(PromotionCode),
  label: Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMinLength(2), Schema.isMaxLength(120))),
  benefit: Benefit,
  minimumSubtotalXof: IntBetween(0, 10_000_000),
  maximumDiscountXof: Schema.NullOr(IntBetween(1, 10_000_000)),
  startsAt: Instant,
  endsAt: Schema.NullOr(Instant),
  maximumUses: Schema.NullOr(IntBetween(1, 10_000_000)),
  budgetXof: Schema.NullOr(IntBetween(1, 10_000_000)),
  perCustomerLimit: Schema.NullOr(IntBetween(1, 1_000)),
  firstOrderOnly: Schema.Boolean,
  providerId: Schema.NullOr(Id),
  fundedBy: PromotionFunder
}

export const CreatePromotionPayload = Schema.Struct(promotionTermsFields)
/** Only the terms sent change. */
export const UpdatePromotionPayload = CreatePromotionPayload.mapFields(Struct.map(Schema.optionalKey))

/** An admin's refund of a delivered order: whole francs (bounded by the order's total, checked by the domain), why, who pays it back, where it goes. */
export const RefundPayload = Schema.Struct({
  amountXof: IntBetween(1, Number.MAX_SAFE_INTEGER),
  reason: Reason,
  responsible: Schema.Literals(["provider", "driver", "platform"]),
  to: Schema.Literals(["wallet", "original"]),
  /** The same key again (a double click, a retry after a lost answer): the same refund, nothing more. */
  idempotencyKey: IdempotencyKey
})

export const RefundView = Schema.Struct({
  transactionId: Id,
  orderId: Id,
  reference: Schema.String.pipe(Schema.check(Schema.isMaxLength(40))),
  amountXof: IntBetween(1, Number.MAX_SAFE_INTEGER),
  responsible: Schema.Literals(["provider", "driver", "platform"]),
  to: Schema.Literal("wallet"),
  /** escrow: refunded before the settlement, which charges it to the responsible party's share; earnings: after it. */
  chargedTo: Schema.Literals(["escrow", "earnings"]),
  refundedXof: IntBetween(0, Number.MAX_SAFE_INTEGER),
  refundableXof: IntBetween(0, Number.MAX_SAFE_INTEGER),
  createdAt: Schema.String.pipe(Schema.check(Schema.isMaxLength(40)))
}).annotate({ identifier: "OrderRefund" })

export class OrdersAdminApi extends HttpApiGroup.make("ordersAdmin")
  .add(
    HttpApiEndpoint.post("refund", "/orders/:orderId/refund", {
      params: { orderId: Id },
      payload: RefundPayload,
      success: RefundView.pipe(HttpApiSchema.status(201)),
      error: [AdminRoleRequiredProblem, OrderNotFoundProblem, OrderNotRefundableProblem, RefundExceedsPaidProblem, RefundToOriginalUnavailableProblem, IdempotencyKeyReusedProblem, ServiceUnavailable]
    }).annotate(
      OpenApi.Description,
      "Rembourse une commande livrée et payée, en totalité ou en partie, sur le portefeuille NELO du client (to=original est refusé : Wave ne rembourse une session qu'en totalité et CinetPay ne rembourse pas). Le total des remboursements ne dépasse jamais ce qui a été payé. La même idempotencyKey : le même remboursement, rien de plus ; pour un autre remboursement : 409 idempotency_key_reused. Avant le règlement, l'argent sort du séquestre et le règlement le retire de la part du responsable ; après, les gains du responsable le remboursent (ils peuvent devenir négatifs)."
    ),
    HttpApiEndpoint.put("cancel", "/orders/:orderId/cancel", {
      params: { orderId: Id },
      payload: Schema.Struct({ reason: Reason, responsible: Schema.optionalKey(Responsible), refundTo: Schema.optionalKey(RefundDestination) }),
      success: OrderView,
      error: [AdminRoleRequiredProblem, ...changeErrors]
    }).annotate(OpenApi.Description, "Annule n'importe quelle commande avant sa livraison, avec un motif et la partie responsable (platform par défaut). Une commande payée est remboursée au client."),
    HttpApiEndpoint.post("createPromotion", "/promotions", {
      payload: CreatePromotionPayload,
      success: PromotionView.pipe(HttpApiSchema.status(201)),
      error: [AdminRoleRequiredProblem, PromotionCodeTakenProblem, PromotionTermsInvalidProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Crée une promotion : un code (insensible à la casse) ou automatique, pourcentage (points de base), montant fixe ou livraison offerte, minimum, plafond, période, budget, limite par client, première commande, commerce, financeur."),
    HttpApiEndpoint.get("listPromotions", "/promotions", {
      query: { active: Schema.optionalKey(Schema.Literals(["true", "false"])), cursor: Schema.optionalKey(Cursor), limit: Schema.optionalKey(PageSize) },
      success: PromotionsPage,
      error: [AdminRoleRequiredProblem, OrderCursorInvalidProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Les promotions, plus récentes d'abord (active=true pour les seules actives), avec leurs utilisations."),
    HttpApiEndpoint.get("getPromotion", "/promotions/:promotionId", {
      params: { promotionId: Id },
      success: PromotionView,
      error: [AdminRoleRequiredProblem, PromotionNotFoundProblem, ServiceUnavailable]
    }),
    HttpApiEndpoint.put("updatePromotion", "/promotions/:promotionId", {
      params: { promotionId: Id },
      payload: UpdatePromotionPayload,
      success: PromotionView,
      error: [AdminRoleRequiredProblem, PromotionNotFoundProblem, PromotionCodeTakenProblem, PromotionTermsInvalidProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Modifie les conditions d'une promotion (les commandes passées gardent la leur)."),
    HttpApiEndpoint.post("deactivatePromotion", "/promotions/:promotionId/deactivate", {
      params: { promotionId: Id },
      success: PromotionView,
      error: [AdminRoleRequiredProblem, PromotionNotFoundProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Désactive une promotion : elle ne s'applique plus à aucune nouvelle commande."),
    HttpApiEndpoint.get("deliveryFees", "/delivery-fees", { success: DeliveryFeesView, error: [AdminRoleRequiredProblem, ServiceUnavailable] })
      .annotate(OpenApi.Description, "Les tranches de frais de livraison en vigueur."),
    HttpApiEndpoint.put("setDeliveryFees", "/delivery-fees", { payload: DeliveryFeesView, success: DeliveryFeesView, error: [AdminRoleRequiredProblem, ServiceUnavailable] })
      .annotate(OpenApi.Description, "Remplace les tranches (distances croissantes). Les commandes passées gardent leurs frais.")
  )
  .middleware(AdminAuthentication)
  .prefix("/api/v1/admin")
  .annotateMerge(OpenApi.annotations({ title: "Administration des commandes" }))
{}
