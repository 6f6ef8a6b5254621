import { Effect } from "effect"
import type { HttpServerRequest } from "effect/http"
import { ConflictProblem, ForbiddenProblem, InvalidRequest, NotFoundProblem, ServiceUnavailableProblem, UnprocessableProblem } from "../api/problems.ts"
import { maximumStock } from "@nelo/domain/catalogue/Product"
import { type AuthError, authProblem, type AuthProblem } from "./authProblem.ts"

export type CatalogueError =
  | AuthError
  | { readonly _tag: "ProviderNotFound" }
  | { readonly _tag: "CategoryNotFound" }
  | { readonly _tag: "ProductNotFound" }
  | { readonly _tag: "GasProductNotFound" }
  | { readonly _tag: "ProviderCreationForbidden" }
  | { readonly _tag: "ProviderOwnerNotFound" }
  | { readonly _tag: "CategoryOrderMismatch"; readonly expectedIds: ReadonlyArray<string> }
  | { readonly _tag: "NotAGasDepot" }
  | { readonly _tag: "GasProductDuplicate" }
  | { readonly _tag: "GasPricesInconsistent" }
  | { readonly _tag: "StockChangeRefused"; readonly reason: "below_zero" | "above_maximum" | "not_counted"; readonly stock: number | null }
  | { readonly _tag: "OptionGroupInvalid"; readonly groupId: string; readonly reason: "min_above_max" | "max_above_options" | "duplicate_option" | "size_not_single_choice" }
  | { readonly _tag: "CursorInvalid" }
  | { readonly _tag: "CatalogueStoreUnavailable"; readonly cause: unknown }

export type CatalogueProblem = AuthProblem | InvalidRequest

const optionGroupMessages = {
  min_above_max: "minChoices ne peut pas dépasser maxChoices.",
  max_above_options: "maxChoices ne peut pas dépasser le nombre d'options du groupe.",
  duplicate_option: "Une option apparaît deux fois dans le groupe.",
  size_not_single_choice: "Un groupe de tailles (kind: size) se choisit une fois exactement : minChoices et maxChoices valent 1."
} as const

const notFound = (message: string) => Effect.fail(new NotFoundProblem({ code: "not_found", message }))

/** The HTTP face of the catalogue's errors; the others (uploads, accounts, stores) are the auth context's. */
export const catalogueProblem = (request: HttpServerRequest.HttpServerRequest) => (error: CatalogueError): Effect.Effect<never, CatalogueProblem> => {
  switch (error._tag) {
    case "ProviderNotFound":
      return notFound("Ce fournisseur n'existe pas.")
    case "CategoryNotFound":
      return notFound("Cette catégorie n'existe pas chez ce fournisseur.")
    case "ProductNotFound":
      return notFound("Ce produit n'existe pas chez ce fournisseur.")
    case "GasProductNotFound":
      return notFound("Cette bouteille n'existe pas chez ce fournisseur.")
    case "ProviderCreationForbidden":
      return Effect.fail(new ForbiddenProblem({ code: "forbidden", message: "Seuls les comptes fournisseurs créent leur établissement, et seuls les administrateurs en créent pour quelqu'un d'autre." }))
    case "ProviderOwnerNotFound":
      return Effect.fail(new UnprocessableProblem({ code: "owner_not_found", message: "Le compte propriétaire indiqué (ownerId) n'existe pas." }))
    case "CategoryOrderMismatch":
      return Effect.fail(new UnprocessableProblem({ code: "category_order_mismatch", message: `L'ordre doit citer chaque catégorie du fournisseur une fois exactement (${error.expectedIds.length} catégorie${error.expectedIds.length > 1 ? "s" : ""}).` }))
    case "NotAGasDepot":
      return Effect.fail(new UnprocessableProblem({ code: "not_a_gas_depot", message: "Seuls les dépôts de gaz vendent des bouteilles." }))
    case "GasProductDuplicate":
      return Effect.fail(new ConflictProblem({ code: "gas_product_duplicate", message: "Ce dépôt vend déjà cette marque dans cette taille : modifiez la ligne existante." }))
    case "GasPricesInconsistent":
      return Effect.fail(new UnprocessableProblem({ code: "gas_prices_inconsistent", message: "Une bouteille neuve (consigne comprise) ne peut pas coûter moins qu'une recharge." }))
    case "StockChangeRefused":
      switch (error.reason) {
        case "below_zero":
          return Effect.fail(new ConflictProblem({ code: "stock_below_zero", message: `Le stock ne peut pas devenir négatif : il en reste ${error.stock ?? 0}.` }))
        case "above_maximum":
          return Effect.fail(new ConflictProblem({ code: "stock_above_maximum", message: `Le stock ne peut pas dépasser ${maximumStock.toLocaleString("fr-FR")} unités (il est de ${error.stock ?? 0}).` }))
        case "not_counted":
          return Effect.fail(new ConflictProblem({ code: "stock_not_counted", message: "Le stock de ce produit n'est pas compté : fixez-le d'abord avec { stock }." }))
      }
    case "OptionGroupInvalid":
      return Effect.fail(new UnprocessableProblem({ code: "option_group_invalid", message: `Groupe d'options invalide : ${optionGroupMessages[error.reason]}` }))
    case "CursorInvalid":
      return Effect.fail(new InvalidRequest({
        code: "invalid_request",
        message: "Le curseur de pagination est invalide : recommencez depuis la première page.",
        errors: [{ path: ["query", "cursor"], message: "curseur inconnu ou d'une autre liste" }]
      }))
    case "CatalogueStoreUnavailable":
      return Effect.logError("catalogue store unavailable").pipe(
        Effect.annotateLogs({ cause: String(error.cause) }),
        Effect.andThen(Effect.fail(new ServiceUnavailableProblem({ code: "service_unavailable", message: "Service momentanément indisponible. Réessayez dans un instant." })))
      )
    default:
      return authProblem(request)(error)
  }
}
