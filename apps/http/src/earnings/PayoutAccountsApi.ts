import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { PhoneInput } from "../auth/Api.ts"
import {
  OtpAttemptsExhaustedProblem,
  OtpExpiredProblem,
  OtpIncorrectProblem,
  PhoneCannotReceiveSmsProblem,
  PhoneInvalidProblem,
  SmsUnavailableProblem
} from "../auth/errors.ts"
import { ProviderNotFoundProblem } from "../catalogue/errors.ts"
import { Authentication } from "../shared/Authentication.ts"
import { ServiceUnavailable, TooManyRequestsProblem } from "../shared/problems.ts"
import { PayeeNotFoundProblem, PayoutNumberNotPendingProblem } from "./payoutAccountErrors.ts"
import { PayoutAccountChangesView, PayoutAccountView } from "./payoutAccountViews.ts"

// The payees' payout numbers (issue 13, "Payouts"): a driver, or a provider's owner for his
// provider, registers the Wave number their earnings are paid to; a code texted to that number
// confirms it. Replacing a confirmed number is logged, the old number is told, and payouts wait 24 h.

const Id = Schema.String.pipe(Schema.check(Schema.isMaxLength(36), Schema.isUUID()))
const OtpCode = Schema.String.pipe(Schema.check(Schema.isPattern(/^\d{6}$/u, { expected: "un code de 6 chiffres" })))

const NumberRequest = Schema.Struct({ mobile: PhoneInput })
const NumberConfirmation = Schema.Struct({ code: OtpCode })

const stores = [ServiceUnavailable] as const
const codeSending = [PhoneInvalidProblem, PhoneCannotReceiveSmsProblem, TooManyRequestsProblem, SmsUnavailableProblem] as const
const codeChecking = [PayoutNumberNotPendingProblem, OtpIncorrectProblem, OtpExpiredProblem, OtpAttemptsExhaustedProblem] as const

const describe = {
  account: "Le numéro de paiement (Wave) où vos gains sont versés : le numéro confirmé, le numéro en attente de son code, et jusqu'à quand les versements attendent après un changement.",
  request:
    "Demande un numéro de paiement : un code à 6 chiffres lui est envoyé par SMS (202 ; les limites des codes de connexion s'appliquent, 429 avec Retry-After). Le numéro confirmé, s'il y en a un, reste utilisé jusqu'à la confirmation du nouveau.",
  confirm:
    "Confirme le numéro en attente avec le code reçu (3 essais, attemptsLeft dit combien il en reste). Remplacer un numéro confirmé est enregistré, l'ancien numéro est prévenu par SMS et les versements attendent 24 h (payoutsHeldUntil). Aucun numéro en attente : 409 payout_number_not_pending.",
  changes: "L'historique des changements de numéro de paiement, du plus ancien au plus récent (les 200 derniers) : ancien et nouveau numéro, qui l'a confirmé, quand."
}

export class PayoutAccountsApi extends HttpApiGroup.make("payoutAccounts")
  .add(
    HttpApiEndpoint.get("driverAccount", "/drivers/me/payout-account", {
      success: PayoutAccountView,
      error: [PayeeNotFoundProblem, ...stores]
    }).annotate(OpenApi.Description, `Livreur. ${describe.account}`),
    HttpApiEndpoint.put("requestDriverNumber", "/drivers/me/payout-account", {
      payload: NumberRequest,
      success: PayoutAccountView.pipe(HttpApiSchema.status(202)),
      error: [PayeeNotFoundProblem, ...codeSending, ...stores]
    }).annotate(OpenApi.Description, `Livreur. ${describe.request}`),
    HttpApiEndpoint.post("confirmDriverNumber", "/drivers/me/payout-account/confirm", {
      payload: NumberConfirmation,
      success: PayoutAccountView,
      error: [PayeeNotFoundProblem, ...codeChecking, ...stores]
    }).annotate(OpenApi.Description, `Livreur. ${describe.confirm}`),
    HttpApiEndpoint.get("driverChanges", "/drivers/me/payout-account/changes", {
      success: PayoutAccountChangesView,
      error: [PayeeNotFoundProblem, ...stores]
    }).annotate(OpenApi.Description, `Livreur. ${describe.changes}`),
    HttpApiEndpoint.get("providerAccount", "/providers/:providerId/payout-account", {
      params: { providerId: Id },
      success: PayoutAccountView,
      error: [ProviderNotFoundProblem, ...stores]
    }).annotate(OpenApi.Description, `Propriétaire du commerce. ${describe.account}`),
    HttpApiEndpoint.put("requestProviderNumber", "/providers/:providerId/payout-account", {
      params: { providerId: Id },
      payload: NumberRequest,
      success: PayoutAccountView.pipe(HttpApiSchema.status(202)),
      error: [ProviderNotFoundProblem, ...codeSending, ...stores]
    }).annotate(OpenApi.Description, `Propriétaire du commerce. ${describe.request}`),
    HttpApiEndpoint.post("confirmProviderNumber", "/providers/:providerId/payout-account/confirm", {
      params: { providerId: Id },
      payload: NumberConfirmation,
      success: PayoutAccountView,
      error: [ProviderNotFoundProblem, ...codeChecking, ...stores]
    }).annotate(OpenApi.Description, `Propriétaire du commerce. ${describe.confirm}`),
    HttpApiEndpoint.get("providerChanges", "/providers/:providerId/payout-account/changes", {
      params: { providerId: Id },
      success: PayoutAccountChangesView,
      error: [ProviderNotFoundProblem, ...stores]
    }).annotate(OpenApi.Description, `Propriétaire du commerce. ${describe.changes}`)
  )
  .middleware(Authentication)
  .prefix("/api/v1")
  .annotateMerge(OpenApi.annotations({ title: "Numéros de paiement" }))
{}
