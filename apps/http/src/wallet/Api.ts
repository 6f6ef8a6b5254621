import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { isPlainText } from "@nelo/domain/shared/plainText"
import { UserId } from "@nelo/domain/users/User"
import { Gateway } from "@nelo/domain/wallet/Account"
import { TransactionType } from "@nelo/domain/wallet/LedgerTransaction"
import { PhoneInput, Pin } from "../auth/Api.ts"
import { AccountNotFoundProblem, PhoneInvalidProblem, PinIncorrectProblem, PinNotSetProblem } from "../auth/errors.ts"
import { AdminAuthentication, Authentication } from "../shared/Authentication.ts"
import { IntBetween, IntFromQuery } from "../shared/bounded.ts"
import { ServiceUnavailable, TooManyRequestsProblem } from "../shared/problems.ts"
import { AdminRoleRequiredProblem } from "../users/errors.ts"
import {
  BalanceOutOfRangeProblem,
  FreezeReasonRequiredProblem,
  IdempotencyKeyReusedProblem,
  InsufficientFundsProblem,
  LimitExceededProblem,
  PaymentsUnavailableProblem,
  ReceiverNotFoundProblem,
  SelfTransferProblem,
  TopupAmountInvalidProblem,
  TransferAmountInvalidProblem,
  WalletAlreadyInStateProblem,
  WalletFrozenProblem
} from "./errors.ts"
import { TopupView, TransferView, WalletTransactionsPage, WalletView } from "./views.ts"

const Uuid = Schema.String.pipe(Schema.check(Schema.isUUID()))
// Whole francs. The ceiling only stops a typo at the door; the real bounds are the domain's
// (top-up minimum and maximum, the person's allowance), answered with their own codes.
const Amount = IntBetween(1, 100_000_000)
// Chosen by the app, once per action: a UUID is ideal, any short printable token is accepted.
const IdempotencyKey = Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9_.:-]{8,100}$/u, { expected: "une clé d'idempotence de 8 à 100 caractères (lettres, chiffres, _ . : -)" })))
const Note = Schema.String.pipe(Schema.check(isPlainText, Schema.isMaxLength(140)))
const Reason = Schema.String.pipe(Schema.check(isPlainText, Schema.isMinLength(3), Schema.isMaxLength(500)))
const PageSize = IntFromQuery(1, 50)

/** Freezing and unfreezing answer the same refusals. */
const freezeErrors = [AdminRoleRequiredProblem, AccountNotFoundProblem, WalletAlreadyInStateProblem, FreezeReasonRequiredProblem, ServiceUnavailable] as const

export class WalletApi extends HttpApiGroup.make("wallet")
  .add(
    HttpApiEndpoint.get("overview", "/", { success: WalletView, error: ServiceUnavailable })
      .annotate(OpenApi.Description, "Solde en francs CFA, statut (active | frozen) et ce qui reste à envoyer aujourd'hui et ce mois-ci selon le niveau KYC."),
    HttpApiEndpoint.get("transactions", "/transactions", {
      query: { type: Schema.optionalKey(TransactionType), cursor: Schema.optionalKey(Uuid), limit: Schema.optionalKey(PageSize) },
      success: WalletTransactionsPage,
      error: ServiceUnavailable
    }).annotate(OpenApi.Description, "Historique, plus récent d'abord (limit 20 par défaut, 50 au plus ; cursor = nextCursor). Montant signé ; pour un transfert, l'autre personne (nom abrégé, numéro masqué). Les recharges non créditées y figurent avec leur statut."),
    HttpApiEndpoint.post("topup", "/topup", {
      payload: Schema.Struct({ amount: Amount, method: Gateway, idempotencyKey: IdempotencyKey }),
      success: TopupView.pipe(HttpApiSchema.status(201)),
      error: [TopupAmountInvalidProblem, WalletFrozenProblem, IdempotencyKeyReusedProblem, AccountNotFoundProblem, PaymentsUnavailableProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Ouvre une recharge : ouvrez paymentUrl (Wave ou CinetPay). Le portefeuille n'est crédité qu'après confirmation de la passerelle. Si Wave est indisponible ou refuse, CinetPay prend le relais (method dit laquelle). Même idempotencyKey : même recharge."),
    HttpApiEndpoint.post("transfer", "/transfer", {
      payload: Schema.Struct({ toPhone: PhoneInput, amount: Amount, pin: Pin, idempotencyKey: IdempotencyKey, note: Schema.optionalKey(Note) }),
      success: TransferView.pipe(HttpApiSchema.status(201)),
      error: [
        PinIncorrectProblem,
        PinNotSetProblem,
        TooManyRequestsProblem,
        PhoneInvalidProblem,
        ReceiverNotFoundProblem,
        SelfTransferProblem,
        TransferAmountInvalidProblem,
        InsufficientFundsProblem,
        BalanceOutOfRangeProblem,
        LimitExceededProblem,
        WalletFrozenProblem,
        IdempotencyKeyReusedProblem,
        ServiceUnavailable
      ]
    }).annotate(OpenApi.Description, "Envoie de l'argent à un numéro inscrit sur NELO, avec le code PIN. Même idempotencyKey : le premier transfert, rien de plus. Un PIN bloqué répond 429 avec Retry-After.")
  )
  .middleware(Authentication)
  .prefix("/api/v1/wallet")
  .annotateMerge(OpenApi.annotations({ title: "Portefeuille" }))
{}

export class WalletAdminApi extends HttpApiGroup.make("walletAdmin")
  .add(
    HttpApiEndpoint.post("freeze", "/wallets/:userId/freeze", {
      params: { userId: UserId.pipe(Schema.check(Schema.isUUID())) },
      payload: Schema.Struct({ reason: Reason }),
      success: WalletView,
      error: freezeErrors
    }).annotate(OpenApi.Description, "Gèle le portefeuille d'un utilisateur (administrateurs) : il ne peut plus envoyer ni recevoir. Le motif est conservé et les administrateurs sont prévenus."),
    HttpApiEndpoint.post("unfreeze", "/wallets/:userId/unfreeze", {
      params: { userId: UserId.pipe(Schema.check(Schema.isUUID())) },
      payload: Schema.Struct({ reason: Reason }),
      success: WalletView,
      error: freezeErrors
    }).annotate(OpenApi.Description, "Dégèle un portefeuille, avec un motif.")
  )
  .middleware(AdminAuthentication)
  .prefix("/api/v1/admin")
  .annotateMerge(OpenApi.annotations({ title: "Administration du portefeuille" }))
{}
