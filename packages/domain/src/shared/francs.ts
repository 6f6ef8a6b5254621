/** An amount as people read it in Côte d'Ivoire: "12 500 F CFA" (plain spaces, so every terminal shows them). */
export const francs = (amountXof: number) => `${new Intl.NumberFormat("fr-FR").format(amountXof).replace(/\u202f|\u00a0/gu, " ")} F CFA`
