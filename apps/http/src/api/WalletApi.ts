import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { UserId } from "@nelo/domain/users/User"
import { Gateway, WalletStatus } from "@nelo/domain/wallet/Account"
import { TransactionType } from "@nelo/domain/wallet/LedgerTransaction"
import { isPlainText } from "@nelo/domain/shared/plainText"
import { PhoneInput, Pin } from "./AuthApi.ts"
import { Authentication } from "./Authentication.ts"
import {
  ConflictProblem,
  ForbiddenProblem,
  InvalidRequest,
  NotFoundProblem,
  PayloadTooLargeProblem,
  ServiceUnavailableProblem,
  TooManyRequestsProblem,
  UnauthorizedProblem,
  UnprocessableProblem,
  UnsupportedMediaTypeProblem
} from "./problems.ts"

const Uuid = Schema.String.pipe(Schema.check(Schema.isUUID()))
// Whole francs. The ceiling only stops a typo at the door; the real bounds are the domain's
// (top-up minimum and maximum, the person's allowance), answered with their own codes.
const Amount = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 100_000_000 })))
// Chosen by the app, once per action: a UUID is ideal, any short printable token is accepted.
const IdempotencyKey = Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9_.:-]{8,100}$/u, { expected: "une clé d'idempotence de 8 à 100 caractères (lettres, chiffres, _ . : -)" })))
const Note = Schema.String.pipe(Schema.check(isPlainText, Schema.isMaxLength(140)))
const Reason = Schema.String.pipe(Schema.check(isPlainText, Schema.isMinLength(3), Schema.isMaxLength(500)))

const AllowanceView = Schema.Struct({ limitXof: Schema.Number, usedXof: Schema.Number, remainingXof: Schema.Number })

export const WalletView = Schema.Struct({
  balanceXof: Schema.Number,
  currency: Schema.Literal("XOF"),
  status: WalletStatus,
  frozenReason: Schema.NullOr(Schema.String),
  kycLevel: Schema.Literals(["none", "approved"]),
  daily: AllowanceView,
  monthly: AllowanceView
})

export const WalletTransactionView = Schema.Struct({
  id: Schema.String,
  type: TransactionType,
  /** Positive in, negative out. */
  amountXof: Schema.Number,
  status: Schema.Literals(["completed", "reversed", "pending", "failed", "expired", "mismatch"]),
  counterparty: Schema.NullOr(Schema.Struct({ name: Schema.String, phone: Schema.String })),
  reference: Schema.NullOr(Schema.String),
  note: Schema.NullOr(Schema.String),
  at: Schema.String
})

export const TopupView = Schema.Struct({
  id: Schema.String,
  status: Schema.Literals(["pending", "succeeded", "failed", "expired", "mismatch"]),
  /** The gateway that opened the checkout: may be the other one when the one asked for was down. */
  method: Gateway,
  amountXof: Schema.Number,
  currency: Schema.Literal("XOF"),
  paymentUrl: Schema.NullOr(Schema.String)
})

export const TransferView = Schema.Struct({
  id: Schema.String,
  amountXof: Schema.Number,
  receiver: Schema.Struct({ name: Schema.String, phone: Schema.String }),
  note: Schema.NullOr(Schema.String),
  at: Schema.String
})

export const walletErrors = [
  InvalidRequest,
  UnauthorizedProblem,
  ForbiddenProblem,
  NotFoundProblem,
  ConflictProblem,
  UnprocessableProblem,
  TooManyRequestsProblem,
  ServiceUnavailableProblem,
  // Never answered here; listed because the auth errors the wallet shares include upload ones.
  PayloadTooLargeProblem,
  UnsupportedMediaTypeProblem
] as const

export class WalletApi extends HttpApiGroup.make("wallet")
  .add(
    HttpApiEndpoint.get("overview", "/", { success: WalletView, error: walletErrors })
      .annotate(OpenApi.Description, "Solde en francs CFA, statut (active | frozen) et ce qui reste à envoyer aujourd'hui et ce mois-ci selon le niveau KYC."),
    HttpApiEndpoint.get("transactions", "/transactions", {
      query: {
        type: Schema.optionalKey(TransactionType),
        cursor: Schema.optionalKey(Uuid),
        limit: Schema.optionalKey(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 50 }))))
      },
      success: Schema.Struct({ items: Schema.Array(WalletTransactionView), nextCursor: Schema.NullOr(Schema.String) }),
      error: walletErrors
    }).annotate(OpenApi.Description, "Historique, plus récent d'abord (limit 20 par défaut, 50 au plus ; cursor = nextCursor). Montant signé ; pour un transfert, l'autre personne (nom abrégé, numéro masqué). Les recharges non créditées y figurent avec leur statut."),
    HttpApiEndpoint.post("topup", "/topup", {
      payload: Schema.Struct({ amount: Amount, method: Gateway, idempotencyKey: IdempotencyKey }),
      success: TopupView.pipe(HttpApiSchema.status(201)),
      error: walletErrors
    }).annotate(OpenApi.Description, "Ouvre une recharge : ouvrez paymentUrl (Wave ou CinetPay). Le portefeuille n'est crédité qu'après confirmation de la passerelle. Si Wave est indisponible ou refuse, CinetPay prend le relais (method dit laquelle). Même idempotencyKey : même recharge. Codes : topup_amount_invalid, wallet_frozen, idempotency_key_reused, payments_unavailable."),
    HttpApiEndpoint.post("transfer", "/transfer", {
      payload: Schema.Struct({ toPhone: PhoneInput, amount: Amount, pin: Pin, idempotencyKey: IdempotencyKey, note: Schema.optionalKey(Note) }),
      success: TransferView.pipe(HttpApiSchema.status(201)),
      error: walletErrors
    }).annotate(OpenApi.Description, "Envoie de l'argent à un numéro inscrit sur NELO, avec le code PIN. Même idempotencyKey : le premier transfert, rien de plus. Codes : pin_incorrect, pin_not_set, too_many_requests (PIN bloqué), receiver_not_found, self_transfer, insufficient_funds, limit_exceeded (remainingXof), wallet_frozen, idempotency_key_reused, phone_invalid.")
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
      error: walletErrors
    }).annotate(OpenApi.Description, "Gèle le portefeuille d'un utilisateur (administrateurs) : il ne peut plus envoyer ni recevoir. Le motif est conservé et les administrateurs sont prévenus. Codes : forbidden, account_not_found, wallet_already_frozen."),
    HttpApiEndpoint.post("unfreeze", "/wallets/:userId/unfreeze", {
      params: { userId: UserId.pipe(Schema.check(Schema.isUUID())) },
      payload: Schema.Struct({ reason: Reason }),
      success: WalletView,
      error: walletErrors
    }).annotate(OpenApi.Description, "Dégèle un portefeuille, avec un motif. Codes : forbidden, account_not_found, wallet_already_active.")
  )
  .middleware(Authentication)
  .prefix("/api/v1/admin")
  .annotateMerge(OpenApi.annotations({ title: "Administration du portefeuille" }))
{}
