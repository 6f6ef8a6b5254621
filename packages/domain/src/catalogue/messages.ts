import { unavailableMessage } from "../auth/messages.ts"
import type { ErrorMessages } from "../shared/ErrorMessages.ts"
import type {
  CatalogueStoreUnavailable,
  CategoryNotFound,
  CategoryOrderMismatch,
  CursorInvalid,
  GasPricesInconsistent,
  GasProductDuplicate,
  GasProductNotFound,
  NotAGasDepot,
  ProductNotFound,
  ProviderCreationForbidden,
  ProviderNotFound,
  ProviderOwnerNotFound,
  StockChangeRefused
} from "./errors.ts"
import { maximumStock } from "./Product.ts"
import type { OptionGroupInvalid } from "./productRules.ts"

export type CatalogueError =
  | CatalogueStoreUnavailable
  | CategoryNotFound
  | CategoryOrderMismatch
  | CursorInvalid
  | GasPricesInconsistent
  | GasProductDuplicate
  | GasProductNotFound
  | NotAGasDepot
  | OptionGroupInvalid
  | ProductNotFound
  | ProviderCreationForbidden
  | ProviderNotFound
  | ProviderOwnerNotFound
  | StockChangeRefused

const optionGroupMessages: Record<OptionGroupInvalid["reason"], string> = {
  min_above_max: "minChoices ne peut pas dépasser maxChoices.",
  max_above_options: "maxChoices ne peut pas dépasser le nombre d'options du groupe.",
  duplicate_option: "Une option apparaît deux fois dans le groupe.",
  size_not_single_choice: "Un groupe de tailles (kind: size) se choisit une fois exactement : minChoices et maxChoices valent 1."
}

const stockMessages: { readonly [Reason in StockChangeRefused["reason"]]: (error: StockChangeRefused) => string } = {
  below_zero: (error) => `Le stock ne peut pas devenir négatif : il en reste ${error.stock ?? 0}.`,
  above_maximum: (error) => `Le stock ne peut pas dépasser ${maximumStock.toLocaleString("fr-FR")} unités (il est de ${error.stock ?? 0}).`,
  not_counted: () => "Le stock de ce produit n'est pas compté : fixez-le d'abord avec { stock }."
}

export const catalogueMessages: ErrorMessages<CatalogueError> = {
  ProviderNotFound: () => "Ce fournisseur n'existe pas.",
  CategoryNotFound: () => "Cette catégorie n'existe pas chez ce fournisseur.",
  ProductNotFound: () => "Ce produit n'existe pas chez ce fournisseur.",
  GasProductNotFound: () => "Cette bouteille n'existe pas chez ce fournisseur.",
  ProviderCreationForbidden: () =>
    "Seuls les comptes fournisseurs créent leur établissement, et seuls les administrateurs en créent pour quelqu'un d'autre.",
  ProviderOwnerNotFound: () => "Le compte propriétaire indiqué (ownerId) n'existe pas.",
  CategoryOrderMismatch: (error) =>
    `L'ordre doit citer chaque catégorie du fournisseur une fois exactement (${error.expectedIds.length} catégorie${error.expectedIds.length > 1 ? "s" : ""}).`,
  NotAGasDepot: () => "Seuls les dépôts de gaz vendent des bouteilles.",
  GasProductDuplicate: () => "Ce dépôt vend déjà cette marque dans cette taille : modifiez la ligne existante.",
  GasPricesInconsistent: () => "Une bouteille neuve (consigne comprise) ne peut pas coûter moins qu'une recharge.",
  StockChangeRefused: (error) => stockMessages[error.reason](error),
  OptionGroupInvalid: (error) => `Groupe d'options invalide : ${optionGroupMessages[error.reason]}`,
  CursorInvalid: () => "Le curseur de pagination est invalide : recommencez depuis la première page.",
  CatalogueStoreUnavailable: () => unavailableMessage
}

/** What a refused cursor says about the field itself (the `errors` entry of its 400). */
export const cursorInvalidFieldMessage = "curseur inconnu ou d'une autre liste"
