import type { ErrorMessages } from "../shared/ErrorMessages.ts"
import { francs } from "../shared/francs.ts"
import type { GatewayNotConfigured, PaymentsUnavailable, TopupAmountInvalid } from "./errors.ts"

export type PaymentsError = GatewayNotConfigured | PaymentsUnavailable | TopupAmountInvalid

export const paymentsMessages: ErrorMessages<PaymentsError> = {
  TopupAmountInvalid: (error) => `Une recharge va de ${francs(error.minimumXof)} à ${francs(error.maximumXof)}, par multiples de 5 F.`,
  PaymentsUnavailable: () => "Le paiement par Wave ou CinetPay est indisponible pour le moment : rien n'a été débité. Réessayez plus tard.",
  GatewayNotConfigured: (error) => `La passerelle ${error.gateway === "wave" ? "Wave" : "CinetPay"} n'est pas configurée ici.`
}
