import { Schema, SchemaTransformation } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { Vehicle } from "@nelo/domain/deliveries/Vehicle"
import { isPlainText } from "@nelo/domain/shared/plainText"
import { Authentication } from "../shared/Authentication.ts"
import { FiniteBetween, Latitude, Longitude } from "../shared/bounded.ts"
import { ServiceUnavailable } from "../shared/problems.ts"
import { FailureReason, DeliveryStatus } from "@nelo/domain/deliveries/Delivery"
import { AdminAuthentication } from "../shared/Authentication.ts"
import { FrancsBetween, IntBetween, IntFromQuery } from "../shared/bounded.ts"
import { AdminRoleRequiredProblem } from "../users/errors.ts"
import { changeErrors } from "../orders/Api.ts"
import { OrderNotFoundProblem } from "../orders/errors.ts"
import {
  CannotGoOnlineProblem,
  CashCollectedMismatchProblem,
  DeliveryCodeWrongProblem,
  DeliveryCompletionLockedProblem,
  DeliveryNotFoundProblem,
  DeliveryStepRefusedProblem,
  DriverAlreadyRegisteredProblem,
  DriverBusyProblem,
  DriverNotAssignableProblem,
  DriverNotRegisteredProblem,
  DriverZoneNotFoundProblem,
  OfferClosedProblem,
  OfferNotFoundProblem,
  AlreadyRatedProblem,
  RatingNotFoundProblem,
  RatingNotOpenProblem,
  RatingWindowClosedProblem
} from "./errors.ts"
import { DriverLiveUpdatesUnavailableProblem } from "./errors.ts"
import { DriverStreamEvent } from "./driverEvents.ts"
import { CurrentDeliveryView, DeliveriesPage, DeliveryView, DriverView, LocationUpdateView, OfferAnswerView, OffersView, RatingView } from "./views.ts"

const Id = Schema.String.pipe(Schema.check(Schema.isMaxLength(36), Schema.isUUID()))
// Letters, digits, spaces and dashes, as plates are painted: "1234 AB 01".
const Plate = Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMaxLength(20), Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9 -]{1,18}[A-Za-z0-9]$/u, { expected: "une plaque d'immatriculation (lettres, chiffres, espaces, tirets)" })))

/** An instant with its offset, as the phone recorded it: 2026-12-24T18:00:00Z. */
const RecordedAt = Schema.String.pipe(
  Schema.check(Schema.isMaxLength(40), Schema.isPattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/u, { expected: "une date et heure ISO 8601 avec fuseau (2026-12-24T18:00:00Z)" })),
  Schema.decodeTo(Schema.Date.check(Schema.makeFilter((date: Date) => !Number.isNaN(date.getTime()), { expected: "une date qui existe" })), SchemaTransformation.dateFromString)
)

/** One fix of the phone. */
export const LocationPointPayload = Schema.Struct({
  lat: Latitude,
  lng: Longitude,
  accuracyM: FiniteBetween(0, 100_000),
  headingDeg: Schema.optionalKey(FiniteBetween(0, 360)),
  speedMps: Schema.optionalKey(FiniteBetween(0, 1_000)),
  recordedAt: RecordedAt
})

const RejectReason = Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMaxLength(200)))
/** Why an admin stepped in: who was called, what they said. */
const AdminNote = Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMinLength(3), Schema.isMaxLength(500)))
const FailureNote = Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMaxLength(500)))
/** The customer's 4 digits, as typed: leading zeros kept. */
const DeliveryCode = Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9]{4}$/u, { expected: "le code à 4 chiffres donné par le client" })))
// The last delivery id of the page before: ids are time-ordered.
const Cursor = Id

/** A driver's step on his delivery: changes the order too, so the order's refusals can come back. */
const stepErrors = [DriverNotRegisteredProblem, DeliveryNotFoundProblem, DeliveryStepRefusedProblem, ...changeErrors] as const

export class DriversApi extends HttpApiGroup.make("drivers")
  .add(
    HttpApiEndpoint.post("register", "/drivers/register", {
      payload: Schema.Struct({ vehicle: Vehicle, plate: Schema.optionalKey(Plate), zoneId: Id }),
      success: DriverView,
      error: [DriverAlreadyRegisteredProblem, DriverZoneNotFoundProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Je deviens livreur : véhicule, plaque (sauf vélo) et zone de rattachement. Envoyez ensuite votre pièce d'identité et votre permis (POST /users/me/kyc/documents) : un administrateur les valide avant votre première course. Le rôle driver figure dans votre prochain jeton (après un refresh)."),
    HttpApiEndpoint.get("me", "/drivers/me", { success: DriverView, error: [DriverNotRegisteredProblem, ServiceUnavailable] })
      .annotate(OpenApi.Description, "Mon profil de livreur : véhicule, statut, validation des pièces, note, dernière position connue."),
    HttpApiEndpoint.put("status", "/drivers/me/status", {
      payload: Schema.Struct({ status: Schema.Literals(["online", "offline"]) }),
      success: DriverView,
      error: [DriverNotRegisteredProblem, CannotGoOnlineProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "En ligne (je reçois des courses) ou hors ligne. En ligne seulement avec les pièces validées et une position récente (moins de 2 minutes) : sinon 409 cannot_go_online et la raison (reason)."),
    HttpApiEndpoint.put("location", "/drivers/me/location", {
      payload: Schema.Union([
        LocationPointPayload,
        Schema.Struct({ points: Schema.Array(LocationPointPayload).pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(50))) })
      ]),
      success: LocationUpdateView,
      error: [DriverNotRegisteredProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Ma position : un point, ou jusqu'à 50 points horodatés envoyés en retard au retour du réseau ({ points: [...] }). Les points plus anciens que le dernier gardé, venant du futur, ou d'une précision pire que 50 m sont écartés (dropped, avec la raison) ; le plus récent devient ma position."),
    HttpApiEndpoint.get("offers", "/drivers/offers", { success: OffersView, error: [DriverNotRegisteredProblem, ServiceUnavailable] })
      .annotate(OpenApi.Description, "Mes offres de course ouvertes : commerce et sa position, distance, quartier du client (l'adresse exacte après acceptation), mon gain, articles, bouteilles de gaz à porter et vides à reprendre, espèces à encaisser. Chacune expire (expiresAt)."),
    HttpApiEndpoint.post("acceptOffer", "/drivers/offers/:offerId/accept", {
      params: { offerId: Id },
      success: DeliveryView,
      error: [DriverNotRegisteredProblem, OfferNotFoundProblem, OfferClosedProblem, DriverBusyProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "J'accepte : le premier livreur qui accepte prend la course (409 offer_closed pour les autres). Réponse : la course, avec l'adresse exacte et le client à appeler."),
    HttpApiEndpoint.post("rejectOffer", "/drivers/offers/:offerId/reject", {
      params: { offerId: Id },
      payload: Schema.Struct({ reason: Schema.optionalKey(RejectReason) }),
      success: OfferAnswerView,
      error: [DriverNotRegisteredProblem, OfferNotFoundProblem, OfferClosedProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Je refuse, avec une raison si je veux : la course est proposée à d'autres."),
    HttpApiEndpoint.get("currentDelivery", "/drivers/me/deliveries/current", { success: CurrentDeliveryView, error: [DriverNotRegisteredProblem, ServiceUnavailable] })
      .annotate(OpenApi.Description, "Ma course en cours (delivery null si je n'en ai pas)."),
    HttpApiEndpoint.get("events", "/drivers/me/events", {
      success: HttpApiSchema.StreamSse({ events: DriverStreamEvent }),
      error: [DriverNotRegisteredProblem, DriverLiveUpdatesUnavailableProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Mes offres et ma course en direct (Server-Sent Events) : `ready` à l'ouverture (mes offres ouvertes et ma course, null si je n'en ai pas), puis `offers` (la liste complète de mes offres ouvertes, qui remplace la précédente) dès qu'une offre arrive, est prise par un autre livreur, retirée ou expire, et `delivery` (ma course, ou null) dès qu'elle change (attribuée par un administrateur, commande annulée) ; un `heartbeat` régulier. Se termine à l'expiration du jeton d'accès : reconnectez-vous avec un jeton frais (un nouveau `ready` remet tout à jour). En cas de 503 live_updates_unavailable, interrogez /drivers/offers et /drivers/me/deliveries/current.")
  )
  .middleware(Authentication)
  .prefix("/api/v1")
  .annotateMerge(OpenApi.annotations({ title: "Livreurs" }))
{}

export class DeliveriesApi extends HttpApiGroup.make("deliveries")
  .add(
    HttpApiEndpoint.post("pickUp", "/deliveries/:deliveryId/pickup", { params: { deliveryId: Id }, success: DeliveryView, error: stepErrors })
      .annotate(OpenApi.Description, "J'ai la commande en main chez le commerce (elle doit être prête)."),
    HttpApiEndpoint.post("start", "/deliveries/:deliveryId/start", { params: { deliveryId: Id }, success: DeliveryView, error: stepErrors })
      .annotate(OpenApi.Description, "Je quitte le commerce : la commande est en livraison, le client est prévenu."),
    HttpApiEndpoint.post("complete", "/deliveries/:deliveryId/complete", {
      params: { deliveryId: Id },
      payload: Schema.Struct({ code: DeliveryCode, cashCollectedXof: Schema.optionalKey(FrancsBetween(0, 100_000_000)) }),
      success: DeliveryView,
      error: [...stepErrors, DeliveryCodeWrongProblem, DeliveryCompletionLockedProblem, CashCollectedMismatchProblem]
    }).annotate(OpenApi.Description, "Remise au client : le code à 4 chiffres que le client lit dans son application (5 codes faux bloquent la remise et appellent un agent). Commande payée à la livraison : cashCollectedXof, égal au total."),
    HttpApiEndpoint.post("fail", "/deliveries/:deliveryId/fail", {
      params: { deliveryId: Id },
      payload: Schema.Struct({ reason: FailureReason, note: Schema.optionalKey(FailureNote) }),
      success: DeliveryView,
      error: stepErrors
    }).annotate(OpenApi.Description, "La remise n'a pas pu se faire (client absent, adresse introuvable, refus, ...) : la commande échoue ; la rapporter au commerce."),
    HttpApiEndpoint.post("release", "/deliveries/:deliveryId/release", { params: { deliveryId: Id }, success: DeliveryView, error: stepErrors })
      .annotate(OpenApi.Description, "Je rends la course avant de l'avoir récupérée : elle est proposée à un autre livreur (compte dans mon historique).")
  )
  .middleware(Authentication)
  .prefix("/api/v1")
  .annotateMerge(OpenApi.annotations({ title: "Courses" }))
{}

export class DeliveriesAdminApi extends HttpApiGroup.make("deliveriesAdmin")
  .add(
    HttpApiEndpoint.get("list", "/deliveries", {
      query: { status: Schema.optionalKey(DeliveryStatus), cursor: Schema.optionalKey(Cursor), limit: Schema.optionalKey(IntFromQuery(1, 50)) },
      success: DeliveriesPage,
      error: [AdminRoleRequiredProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Les courses, plus récentes d'abord ; status=unassigned pour celles qui n'ont trouvé aucun livreur."),
    HttpApiEndpoint.get("get", "/deliveries/:deliveryId", {
      params: { deliveryId: Id },
      success: DeliveryView,
      error: [AdminRoleRequiredProblem, DeliveryNotFoundProblem, ServiceUnavailable]
    }),
    HttpApiEndpoint.post("assign", "/deliveries/:deliveryId/assign", {
      params: { deliveryId: Id },
      payload: Schema.Struct({ driverId: Id }),
      success: DeliveryView,
      error: [AdminRoleRequiredProblem, DeliveryNotFoundProblem, DeliveryStepRefusedProblem, DriverNotAssignableProblem, DriverBusyProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Attribue une course encore sans livreur à un livreur joint par téléphone (pièces validées, libre, véhicule adapté, sous le plafond d'espèces) ; les offres ouvertes sont retirées."),
    HttpApiEndpoint.post("complete", "/deliveries/:deliveryId/complete", {
      params: { deliveryId: Id },
      payload: Schema.Struct({ note: AdminNote, cashCollectedXof: Schema.optionalKey(FrancsBetween(0, 100_000_000)) }),
      success: DeliveryView,
      error: [AdminRoleRequiredProblem, DeliveryNotFoundProblem, DeliveryStepRefusedProblem, CashCollectedMismatchProblem, ...changeErrors]
    }).annotate(OpenApi.Description, "Confirme la remise sans le code, après avoir appelé le client (code perdu, remise bloquée après des codes faux) : la commande est livrée, la note de l'agent dans l'historique ; commande payée à la livraison : cashCollectedXof, égal au total.")
  )
  .middleware(AdminAuthentication)
  .prefix("/api/v1/admin")
  .annotateMerge(OpenApi.annotations({ title: "Administration des courses" }))
{}

/** Stars, whole, from 1 to 5. */
const Stars = IntBetween(1, 5)
/** What the customer writes, up to 500 characters, kept without its surrounding spaces (blank: no comment). */
const RatingComment = Schema.String.pipe(
  Schema.check(isPlainText, Schema.isMaxLength(500)),
  Schema.decodeTo(Schema.String, SchemaTransformation.trim())
)

export class RatingsApi extends HttpApiGroup.make("ratings")
  .add(
    HttpApiEndpoint.post("rate", "/orders/:orderId/rating", {
      params: { orderId: Id },
      payload: Schema.Struct({ driver: Stars, provider: Stars, comment: Schema.optionalKey(RatingComment) }),
      success: RatingView.pipe(HttpApiSchema.status(201)),
      error: [OrderNotFoundProblem, RatingNotOpenProblem, RatingWindowClosedProblem, AlreadyRatedProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Je note ma commande livrée : le livreur et le commerce, de 1 à 5 étoiles chacun, avec un commentaire si je veux (500 caractères au plus). Une seule fois, dans les 7 jours qui suivent la livraison (409 rating_window_closed après, already_rated la deuxième fois, rating_not_open avant la livraison)."),
    HttpApiEndpoint.get("get", "/orders/:orderId/rating", {
      params: { orderId: Id },
      success: RatingView,
      error: [OrderNotFoundProblem, RatingNotFoundProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "La note que j'ai donnée à ma commande (404 rating_not_found tant que je ne l'ai pas notée).")
  )
  .middleware(Authentication)
  .prefix("/api/v1")
  .annotateMerge(OpenApi.annotations({ title: "Notes des commandes" }))
{}
