/** Abidjan's time is UTC all year: "10/12 à 08:00". */
const when = (date: Date) => `${date.toISOString().slice(8, 10)}/${date.toISOString().slice(5, 7)} à ${date.toISOString().slice(11, 16)}`

/** What the holder of a payout number reads. */
export const payoutAccountMessages = {
  /** To the number being replaced: its owner learns of a change they may not have made. */
  changed: (newMobile: string, heldUntil: Date) =>
    `NELO : votre numéro de paiement a été remplacé par ${newMobile.slice(0, 6)}…${newMobile.slice(-2)}. Les versements reprendront le ${when(heldUntil)}. Si ce n'est pas vous, appelez NELO tout de suite.`
}
