import { unavailableMessage } from "../auth/messages.ts"
import type { ErrorMessages } from "../shared/ErrorMessages.ts"
import { francs } from "../shared/francs.ts"
import type { CartProblem } from "./CartProblem.ts"
import type {
  CartRefused,
  OrderActionForbidden,
  OrderAwaitingPayment,
  OrderCursorInvalid,
  OrderKeyReused,
  OrderNotCancellable,
  OrderNotFound,
  OrdersUnavailable,
  OrderTransitionRefused,
  PinRequired,
  PreparationMinutesInvalid,
  PromotionCodeTaken,
  PromotionNotFound,
  PromotionTermsInvalid,
  ProviderNotFoundForOrders,
  RefundToOriginalUnavailable
} from "./errors.ts"
import type { OrderFeedUnavailable } from "./OrderFeed.ts"
import type { OrderStatus } from "./Order.ts"
import type { PromotionRefusalReason } from "./Promotion.ts"

export type OrdersError =
  | CartRefused
  | OrderActionForbidden
  | OrderAwaitingPayment
  | OrderCursorInvalid
  | OrderKeyReused
  | OrderNotCancellable
  | OrderNotFound
  | OrdersUnavailable
  | OrderTransitionRefused
  | PinRequired
  | PreparationMinutesInvalid
  | PromotionCodeTaken
  | PromotionNotFound
  | PromotionTermsInvalid
  | ProviderNotFoundForOrders
  | OrderFeedUnavailable
  | RefundToOriginalUnavailable

/** A status as people read it. */
export const statusLabel: { readonly [Status in OrderStatus]: string } = {
  pending: "en attente",
  confirmed: "confirmée",
  preparing: "en préparation",
  ready: "prête",
  picked_up: "récupérée par le livreur",
  delivering: "en livraison",
  delivered: "livrée",
  cancelled: "annulée",
  failed: "non livrée"
}

const actionLabel: Readonly<Record<string, string>> = {
  mark_paid: "enregistrer le paiement de",
  confirm: "confirmer",
  reject: "refuser",
  start_preparing: "commencer à préparer",
  mark_ready: "déclarer prête",
  pick_up: "récupérer",
  start_delivering: "partir livrer",
  deliver: "livrer",
  fail: "déclarer non livrée",
  cancel: "annuler"
}

const promotionReason: { readonly [Reason in PromotionRefusalReason]: (minimumSubtotalXof: number | null) => string } = {
  unknown_code: () => "ce code n'existe pas",
  inactive: () => "cette promotion n'est plus active",
  not_started: () => "cette promotion n'a pas encore commencé",
  ended: () => "cette promotion est terminée",
  other_provider: () => "cette promotion ne vaut pas chez ce commerce",
  below_minimum: (minimumSubtotalXof) => `il faut au moins ${francs(minimumSubtotalXof ?? 0)} d'articles`,
  first_order_only: () => "elle est réservée à une première commande",
  exhausted: () => "elle a déjà été utilisée autant de fois que prévu",
  budget_spent: () => "son budget est épuisé",
  customer_limit_reached: () => "vous l'avez déjà utilisée autant de fois que permis",
  no_discount: () => "elle ne donne aucune réduction sur ce panier"
}

const line = (index: number, name?: string) => `Ligne ${index + 1}${name === undefined ? "" : ` (${name})`}`

/** Each reason a cart cannot be ordered, as the customer reads it: the line it concerns first. */
export const cartProblemMessage = (problem: CartProblem): string => {
  switch (problem._tag) {
    case "ProviderNotFound":
      return "Ce commerce n'existe pas ou plus."
    case "ProviderClosed":
      return problem.nextOpenAt === null
        ? "Ce commerce est fermé pour le moment."
        : `Ce commerce est fermé ; il rouvre le ${problem.nextOpenAt.toISOString().slice(0, 16).replace("T", " à ")} (heure d'Abidjan).`
    case "ProviderNotDelivering":
      return "Ce commerce ne livre pas encore : il n'est dans aucune zone de livraison."
    case "ItemNotFound":
      return `${line(problem.line)} : cet article n'est pas au menu de ce commerce.`
    case "ItemUnavailable":
      return `${line(problem.line, problem.name)} : cet article n'est pas disponible en ce moment.`
    case "OutOfStock":
      return problem.availableQuantity === 0
        ? `${line(problem.line, problem.name)} : rupture de stock.`
        : `${line(problem.line, problem.name)} : stock insuffisant, il en reste ${problem.availableQuantity}.`
    case "QuantityOutOfRange":
      return `${line(problem.line)} : la quantité doit être comprise entre ${problem.minimum} et ${problem.maximum}.`
    case "OptionNotOffered":
      return `${line(problem.line, problem.name)} : une option choisie n'existe pas pour cet article (ou est choisie deux fois).`
    case "OptionChoicesInvalid":
      return problem.minChoices === problem.maxChoices
        ? `${line(problem.line, problem.name)} : « ${problem.group} » demande exactement ${problem.minChoices} choix (${problem.chosen} donné${problem.chosen > 1 ? "s" : ""}).`
        : `${line(problem.line, problem.name)} : « ${problem.group} » demande entre ${problem.minChoices} et ${problem.maxChoices} choix (${problem.chosen} donné${problem.chosen > 1 ? "s" : ""}).`
    case "AddressNotFound":
      return "Cette adresse de livraison n'est pas dans votre carnet d'adresses."
    case "AddressOutsideZones":
      return "Cette adresse est hors de nos zones de livraison."
    case "AddressTooFar":
      return `Cette adresse est à ${(problem.distanceM / 1000).toFixed(1).replace(".", ",")} km du commerce, qui livre jusqu'à ${(problem.radiusM / 1000).toFixed(1).replace(".", ",")} km.`
    case "PromotionRefused":
      return `Code promo${problem.code === null ? "" : ` ${problem.code}`} refusé : ${promotionReason[problem.reason](problem.minimumSubtotalXof)}.`
    case "CashAboveMaximum":
      return `Le paiement en espèces est limité à ${francs(problem.maximumXof)} par commande : payez avec le portefeuille, Wave ou CinetPay.`
    case "CashRefusedAfterFailures":
      return `Vos ${problem.failedOrders} dernières commandes payables en espèces n'ont pas pu être livrées : payez cette fois avec le portefeuille, Wave ou CinetPay.`
  }
}

export const ordersMessages: ErrorMessages<OrdersError> = {
  OrdersUnavailable: () => unavailableMessage,
  OrderNotFound: () => "Commande introuvable.",
  CartRefused: (error) => error.problems.length === 1 ? cartProblemMessage(error.problems[0]!) : `Cette commande ne peut pas être passée : ${error.problems.map(cartProblemMessage).join(" ")}`,
  OrderTransitionRefused: (error) => `Impossible de ${actionLabel[error.action] ?? error.action} cette commande : elle est ${statusLabel[error.status]}.`,
  OrderActionForbidden: (error) => `Vous ne pouvez pas ${actionLabel[error.action] ?? error.action} cette commande.`,
  OrderNotCancellable: (error) => `Cette commande ne peut plus être annulée : elle est ${statusLabel[error.status]}. Contactez le support NELO.`,
  OrderAwaitingPayment: () => "Le paiement de cette commande n'est pas encore confirmé : elle ne peut pas être acceptée.",
  PreparationMinutesInvalid: (error) => `Le temps de préparation doit être compris entre 1 et ${error.maximum} minutes.`,
  OrderKeyReused: (error) => `Cette clé d'idempotence a déjà servi pour une autre commande (${error.reference}).`,
  PinRequired: () => "Le code PIN du portefeuille est requis pour payer avec le portefeuille.",
  ProviderNotFoundForOrders: () => "Commerce introuvable.",
  PromotionNotFound: () => "Promotion introuvable.",
  PromotionCodeTaken: (error) => `Le code ${error.code} est déjà pris par une autre promotion.`,
  PromotionTermsInvalid: (error) => {
    switch (error.reason) {
      case "ends_before_start":
        return "La fin de la promotion doit venir après son début."
      case "provider_not_found":
        return "Le commerce de cette promotion n'existe pas."
      case "maximum_uses_below_used":
        return "Le nombre maximal d'utilisations ne peut pas descendre sous celles déjà faites."
      case "budget_below_spent":
        return "Le budget ne peut pas descendre sous les réductions déjà accordées."
    }
  },
  OrderCursorInvalid: () => "Curseur de pagination invalide : reprenez la liste depuis le début.",
  RefundToOriginalUnavailable: (error) =>
    error.gateway === "cinetpay"
      ? "CinetPay ne permet pas de rembourser un paiement : le remboursement se fait sur votre portefeuille NELO."
      : error.gateway === "wave"
      ? "Wave ne rembourse un paiement qu'en totalité, à l'annulation de la commande : ce remboursement se fait sur votre portefeuille NELO."
      : "Cette commande n'a pas été payée par Wave : le remboursement se fait sur votre portefeuille NELO.",
  OrderFeedUnavailable: () => "Le suivi en direct est momentanément indisponible : actualisez le suivi de la commande, il reprendra dans un instant."
}
