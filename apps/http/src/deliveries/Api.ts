import { Schema, SchemaTransformation } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import { Vehicle } from "@nelo/domain/deliveries/Vehicle"
import { isPlainText } from "@nelo/domain/shared/plainText"
import { Authentication } from "../shared/Authentication.ts"
import { FiniteBetween, Latitude, Longitude } from "../shared/bounded.ts"
import { ServiceUnavailable } from "../shared/problems.ts"
import { CannotGoOnlineProblem, DriverAlreadyRegisteredProblem, DriverNotRegisteredProblem, DriverZoneNotFoundProblem } from "./errors.ts"
import { DriverView, LocationUpdateView } from "./views.ts"

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
    }).annotate(OpenApi.Description, "Ma position : un point, ou jusqu'à 50 points horodatés envoyés en retard au retour du réseau ({ points: [...] }). Les points plus anciens que le dernier gardé, venant du futur, ou d'une précision pire que 50 m sont écartés (dropped, avec la raison) ; le plus récent devient ma position.")
  )
  .middleware(Authentication)
  .prefix("/api/v1")
  .annotateMerge(OpenApi.annotations({ title: "Livreurs" }))
{}
