import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { ProviderNotFoundProblem } from "../catalogue/errors.ts"
import { DriverNotRegisteredProblem } from "../deliveries/errors.ts"
import { AdminAuthentication, Authentication } from "../shared/Authentication.ts"
import { IntFromQuery } from "../shared/bounded.ts"
import { ServiceUnavailable } from "../shared/problems.ts"
import { AdminRoleRequiredProblem } from "../users/errors.ts"
import { StatementCursorInvalidProblem, StatementPeriodInvalidProblem } from "./statementErrors.ts"
import { RevenueReportView, StatementView } from "./statementViews.ts"

const Id = Schema.String.pipe(Schema.check(Schema.isMaxLength(36), Schema.isUUID()))
/** An Abidjan day, YYYY-MM-DD (whether it exists is the domain's check: invalid_date). */
const CalendarDate = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/u, { expected: "une date au format AAAA-MM-JJ (2026-12-01)" })))
const Cursor = Schema.String.pipe(Schema.check(Schema.isMaxLength(64)))

const periodQuery = { from: CalendarDate, to: CalendarDate }
const statementQuery = { ...periodQuery, cursor: Schema.optionalKey(Cursor), limit: Schema.optionalKey(IntFromQuery(1, 500)) }

/** JSON by default; the whole period as CSV with `Accept: text/csv` (streamed, as an attachment). */
const statementSuccess = [StatementView, HttpApiSchema.StreamUint8Array({ contentType: "text/csv" })] as const

const statementDescription =
  "Totaux de la période (brut, commissions, remises, remboursements imputés, net gagné, versements, solde au début et à la fin) et, page par page (cursor, limit ≤ 500), chaque écriture du compte de gains : règlements de commandes (référence, brut, commission, remise, net), remboursements, versements, autres. Dates en jours d'Abidjan, `to` inclus, 366 jours au plus. Avec `Accept: text/csv`, toute la période en CSV (pièce jointe, envoyée au fil de la lecture)."

export class StatementsApi extends HttpApiGroup.make("statements")
  .add(
    HttpApiEndpoint.get("providerStatement", "/providers/:providerId/earnings", {
      params: { providerId: Id },
      query: statementQuery,
      success: statementSuccess,
      error: [ProviderNotFoundProblem, StatementPeriodInvalidProblem, StatementCursorInvalidProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, `Le relevé des gains de mon commerce. ${statementDescription}`),
    HttpApiEndpoint.get("driverStatement", "/drivers/me/earnings", {
      query: statementQuery,
      success: statementSuccess,
      error: [DriverNotRegisteredProblem, StatementPeriodInvalidProblem, StatementCursorInvalidProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, `Le relevé de mes gains de livreur. ${statementDescription}`)
  )
  .middleware(Authentication)
  .prefix("/api/v1")
  .annotateMerge(OpenApi.annotations({ title: "Relevés de gains" }))
{}

export class StatementsAdminApi extends HttpApiGroup.make("statementsAdmin")
  .add(
    HttpApiEndpoint.get("revenueReport", "/reports/revenue", {
      query: periodQuery,
      success: RevenueReportView,
      error: [AdminRoleRequiredProblem, StatementPeriodInvalidProblem, ServiceUnavailable]
    }).annotate(
      OpenApi.Description,
      "Le chiffre d'affaires par jour d'Abidjan : commandes réglées, brut (sous-totaux et frais de livraison), commissions des commerces et des livreurs, remboursements, remises par financeur (commerce, plateforme), net de la plateforme (mouvement de son compte de revenus). 366 jours au plus, `to` inclus."
    )
  )
  .middleware(AdminAuthentication)
  .prefix("/api/v1/admin")
  .annotateMerge(OpenApi.annotations({ title: "Rapports" }))
{}
