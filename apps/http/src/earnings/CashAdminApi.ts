import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { RemittanceNote, RemittanceReference, RemittanceVia } from "@nelo/domain/earnings/cashRemittance"
import { DriverNotRegisteredProblem } from "../deliveries/errors.ts"
import { AdminAuthentication } from "../shared/Authentication.ts"
import { IntBetween, IntFromQuery } from "../shared/bounded.ts"
import { ServiceUnavailable } from "../shared/problems.ts"
import { AdminRoleRequiredProblem } from "../users/errors.ts"
import { RemittanceAmountInvalidProblem, RemittanceExceedsHeldProblem, RemittanceReferenceInvalidProblem, RemittanceReferenceReusedProblem } from "./cashErrors.ts"
import { CashReportView, RemittanceReplayedView, RemittanceView } from "./cashViews.ts"

const Id = Schema.String.pipe(Schema.check(Schema.isMaxLength(36), Schema.isUUID()))

/** Cash a driver handed in: whole francs (at most what he holds, checked by the domain), its reference, how, and a note. */
export const RemittancePayload = Schema.Struct({
  amountXof: IntBetween(1, Number.MAX_SAFE_INTEGER),
  reference: RemittanceReference.pipe(Schema.check(Schema.isMaxLength(64))),
  via: RemittanceVia,
  note: Schema.optionalKey(RemittanceNote)
})

export class CashAdminApi extends HttpApiGroup.make("cashAdmin")
  .add(
    HttpApiEndpoint.post("remit", "/drivers/:driverId/cash-remittances", {
      params: { driverId: Id },
      payload: RemittancePayload,
      success: [RemittanceView.pipe(HttpApiSchema.status(201)), RemittanceReplayedView],
      error: [
        AdminRoleRequiredProblem,
        DriverNotRegisteredProblem,
        RemittanceAmountInvalidProblem,
        RemittanceReferenceInvalidProblem,
        RemittanceExceedsHeldProblem,
        RemittanceReferenceReusedProblem,
        ServiceUnavailable
      ]
    }).annotate(
      OpenApi.Description,
      "Enregistre des espèces qu'un livreur a remises à NELO, au bureau (via=office) ou par Wave (via=wave) : ses espèces en main baissent d'autant, ce qui le débloque sous le plafond (offres payées en espèces, passage en ligne). Jamais plus que ce qu'il détient (409 remittance_exceeds_held). La référence (numéro du reçu, identifiant de la transaction Wave) nomme la remise pour ce livreur : renvoyée à l'identique, la même remise répond 200 sans rien écrire de plus ; avec un autre montant ou un autre moyen, 409 remittance_reference_reused."
    ),
    HttpApiEndpoint.get("report", "/drivers/cash", {
      query: { olderThanHours: Schema.optionalKey(IntFromQuery(0, 8_760)) },
      success: CashReportView,
      error: [AdminRoleRequiredProblem, ServiceUnavailable]
    }).annotate(
      OpenApi.Description,
      "Les livreurs qui détiennent des espèces pour NELO, la plus ancienne collecte non remise d'abord : montant, plafond et s'il est atteint, âge de la plus ancienne collecte non remise (les remises paient les collectes les plus anciennes d'abord), gains et manque (ce que ses gains ne couvriraient pas). olderThanHours=48 : seulement ceux dont la plus ancienne collecte non remise a au moins 48 heures."
    )
  )
  .middleware(AdminAuthentication)
  .prefix("/api/v1/admin")
  .annotateMerge(OpenApi.annotations({ title: "Espèces des livreurs" }))
{}
