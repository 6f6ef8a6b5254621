import type { ErrorMessages } from "../shared/ErrorMessages.ts"
import type { StatementCursorInvalid, StatementPeriodInvalid } from "./statementErrors.ts"

export type StatementError = StatementPeriodInvalid | StatementCursorInvalid

const fieldWords = { from: "La date de début (from)", to: "La date de fin (to)", at: "L'instant (at)" } as const

/** The statements' sentences, for the API and the CLI. */
export const statementMessages: ErrorMessages<StatementError> = {
  StatementPeriodInvalid: (error) => {
    switch (error.reason) {
      case "invalid_date":
        return error.field === "at"
          ? "L'instant (at) n'est pas une date et heure ISO 8601 valide avec fuseau (par exemple 2026-12-07T12:00:00Z)."
          : `${fieldWords[error.field]} n'est pas une date valide au format AAAA-MM-JJ (par exemple 2026-12-01).`
      case "from_after_to":
        return "La date de début (from) est après la date de fin (to) : la période est vide."
      case "too_long":
        return `La période dépasse ${error.maximumDays} jours : demandez-la en plusieurs fois.`
    }
  },
  StatementCursorInvalid: () => "Ce curseur n'est pas valide : reprenez la liste depuis le début (sans cursor)."
}
