import { francs } from "../shared/francs.ts"
import type { Payout } from "./Payout.ts"

/** What payees read about their payouts (SMS), and what the gateway shows on the transfer. */
export const payoutMessages = {
  /** Wave's payment_reason: short, and says who pays and for what. */
  reason: (payout: Pick<Payout, "payee">) => payout.payee.kind === "provider" ? "NELO - ventes" : "NELO - livraisons",
  paid: (payout: Pick<Payout, "amountXof" | "mobile" | "method">) =>
    `NELO vous a versé ${francs(payout.amountXof)} sur le ${payout.mobile}${payout.method === "gateway" ? " (mobile money)" : ""}. Merci !`,
  returned: (payout: Pick<Payout, "amountXof">) =>
    `Le versement NELO de ${francs(payout.amountXof)} n'a pas abouti : la somme reste sur vos gains et sera versée au prochain paiement. Vérifiez votre numéro de paiement dans l'application.`
}
