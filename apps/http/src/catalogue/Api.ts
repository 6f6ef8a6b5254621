import { Schema } from "effect"
import { Multipart } from "effect/http"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { CategoryName } from "@nelo/domain/catalogue/Category"
import { defaultNearbyRadiusM, maximumNearbyRadiusM } from "@nelo/domain/catalogue/nearbyCell"
import { BottleSizeKg, GasBrand, maximumStock, OptionGroupKind } from "@nelo/domain/catalogue/Product"
import { ProviderDescription, ProviderLandmark, ProviderName, ProviderType } from "@nelo/domain/catalogue/Provider"
import { maximumPageSize } from "@nelo/domain/catalogue/providerSearch"
import { isPlainText } from "@nelo/domain/shared/plainText"
import { Authentication } from "../shared/Authentication.ts"
import { FiniteFromQuery, FrancsBetween, IntBetween, IntFromQuery, Point } from "../shared/bounded.ts"
import { ServiceUnavailable } from "../shared/problems.ts"
import { FileTooLargeProblem, ImageUnreadableProblem, UnsupportedFileTypeProblem } from "../users/errors.ts"
import {
  CategoryNotFoundProblem,
  CategoryOrderMismatchProblem,
  CursorInvalidProblem,
  GasPricesInconsistentProblem,
  GasProductDuplicateProblem,
  GasProductNotFoundProblem,
  NotAGasDepotProblem,
  OptionGroupInvalidProblem,
  ProductNotFoundProblem,
  ProviderCreationForbiddenProblem,
  ProviderNotFoundProblem,
  ProviderOwnerNotFoundProblem,
  StockChangeRefusedProblem
} from "./errors.ts"
import {
  CategoryView,
  DateText,
  GasProductView,
  GasStockView,
  Interval,
  MenuView,
  MyProvidersPage,
  NearbyProvidersPage,
  PhotoView,
  ProductView,
  ProvidersPage,
  ProviderView,
  StockView
} from "./views.ts"

const Id = Schema.String.pipe(Schema.check(Schema.isMaxLength(36), Schema.isUUID()))
const Cursor = Schema.String.pipe(Schema.check(Schema.isMaxLength(512)))
const PageSize = IntFromQuery(1, maximumPageSize)
// Whole francs; a ceiling far above any price catches a typo (an extra zero or three) at the door.
const PriceXof = FrancsBetween(0, 10_000_000)
const Stock = Schema.NullOr(IntBetween(0, maximumStock))

const Intervals = Schema.Array(Interval).pipe(Schema.check(Schema.isMaxLength(6)))
const Hours = Schema.Struct({
  weekly: Schema.Array(Schema.Struct({ weekday: IntBetween(1, 7), intervals: Intervals })).pipe(Schema.check(Schema.isMaxLength(7))),
  exceptions: Schema.optionalKey(Schema.Array(Schema.Struct({ date: DateText, intervals: Intervals })).pipe(Schema.check(Schema.isMaxLength(366))))
})

const OptionName = Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMinLength(1), Schema.isMaxLength(80)))
const OptionGroupInput = Schema.Struct({
  id: Schema.optionalKey(Id),
  kind: Schema.optionalKey(OptionGroupKind),
  name: OptionName,
  minChoices: IntBetween(0, 30),
  maxChoices: IntBetween(1, 30),
  options: Schema.Array(Schema.Struct({
    id: Schema.optionalKey(Id),
    name: OptionName,
    priceDeltaXof: PriceXof
  })).pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(30)))
})

const ProductName = Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMinLength(1), Schema.isMaxLength(120)))
const ProductDescription = Schema.String.pipe(Schema.check(isPlainText, Schema.isMaxLength(1000)))
const OptionGroups = Schema.Array(OptionGroupInput).pipe(Schema.check(Schema.isMaxLength(10)))

// Exactly one of the two: a body with both would be ambiguous (set, or adjust?).
const StockChange = Schema.Struct({
  stock: Schema.optionalKey(Stock),
  adjustBy: Schema.optionalKey(IntBetween(-maximumStock, maximumStock))
}).pipe(Schema.check(Schema.makeFilter((change) => ("stock" in change) !== ("adjustBy" in change), { expected: "{ stock } ou { adjustBy }, l'un des deux exactement" })))

const uploadLimits = { maxParts: 4, maxFileSize: "6 MB" } as const

// What the writes on a provider can answer: it is not found (or not the caller's) or a store is down.
const onProvider = [ProviderNotFoundProblem, ServiceUnavailable] as const
const onCategory = [ProviderNotFoundProblem, CategoryNotFoundProblem, ServiceUnavailable] as const
const onProduct = [ProviderNotFoundProblem, ProductNotFoundProblem, ServiceUnavailable] as const
const onGasProduct = [ProviderNotFoundProblem, GasProductNotFoundProblem, ServiceUnavailable] as const

/** What customers read, signed in or not. */
export class ProvidersApi extends HttpApiGroup.make("providers")
  .add(
    HttpApiEndpoint.get("list", "/providers", {
      query: {
        type: Schema.optionalKey(ProviderType),
        zoneId: Schema.optionalKey(Id),
        openNow: Schema.optionalKey(Schema.Boolean),
        q: Schema.optionalKey(Schema.String.pipe(Schema.check(isPlainText, Schema.isMaxLength(80)))),
        cursor: Schema.optionalKey(Cursor),
        limit: Schema.optionalKey(PageSize)
      },
      success: ProvidersPage,
      error: [CursorInvalidProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, `Fournisseurs par nom (recherche sans accents : « cafe » trouve « Café »), filtres type, zoneId, openNow. Pagination : limit (${maximumPageSize} au plus, 20 par défaut) et cursor = nextCursor de la page précédente ; un curseur inconnu ou d'une autre liste est un 400 invalid_request sur le champ cursor.`),
    HttpApiEndpoint.get("nearby", "/providers/nearby", {
      query: {
        lat: FiniteFromQuery(-90, 90),
        lng: FiniteFromQuery(-180, 180),
        radiusM: Schema.optionalKey(IntFromQuery(1, maximumNearbyRadiusM)),
        type: Schema.optionalKey(ProviderType),
        openNow: Schema.optionalKey(Schema.Boolean),
        cursor: Schema.optionalKey(Cursor),
        limit: Schema.optionalKey(PageSize)
      },
      success: NearbyProvidersPage,
      error: [CursorInvalidProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, `Fournisseurs autour d'un point, du plus proche au plus loin, dans radiusM mètres (${defaultNearbyRadiusM} par défaut, ${maximumNearbyRadiusM} au plus), avec distanceM, isOpen, nextOpenAt et la zone. L'ordre est celui du carré d'environ 110 m où se trouve le point (les pages suivantes restent cohérentes) ; distanceM est mesurée depuis le point lui-même. Un curseur inconnu ou d'une autre liste est un 400 invalid_request sur le champ cursor.`),
    HttpApiEndpoint.get("get", "/providers/:providerId", { params: { providerId: Id }, success: ProviderView, error: onProvider }),
    HttpApiEndpoint.get("menu", "/providers/:providerId/menu", { params: { providerId: Id }, success: MenuView, error: onProvider })
      .annotate(OpenApi.Description, "La carte : catégories dans l'ordre avec leurs produits (options, tailles, disponibilité, photo), produits sans catégorie, et pour un dépôt de gaz les bouteilles par marque et taille.")
  )
  .prefix("/api/v1")
  .annotateMerge(OpenApi.annotations({ title: "Fournisseurs" }))
{}

/** What owners (provider role) and admins do to a catalogue. Another owner's provider is a 404. */
export class CatalogueManagementApi extends HttpApiGroup.make("catalogueManagement")
  .add(
    HttpApiEndpoint.get("myProviders", "/providers/mine", {
      query: { cursor: Schema.optionalKey(Cursor), limit: Schema.optionalKey(PageSize) },
      success: MyProvidersPage,
      error: [CursorInvalidProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Les établissements dont on est propriétaire (l'application fournisseur), par nom, paginés."),
    HttpApiEndpoint.post("createProvider", "/providers", {
      payload: Schema.Struct({
        type: ProviderType,
        name: ProviderName,
        description: Schema.optionalKey(ProviderDescription),
        location: Point,
        landmark: Schema.optionalKey(ProviderLandmark),
        ownerId: Schema.optionalKey(Id),
        hours: Schema.optionalKey(Hours)
      }),
      success: ProviderView.pipe(HttpApiSchema.status(201)),
      error: [ProviderCreationForbiddenProblem, ProviderOwnerNotFoundProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Crée un fournisseur : le sien (rôle provider), ou pour un autre compte (administrateurs, ownerId), qui reçoit alors le rôle provider. Sans horaires, il est fermé jusqu'à ce qu'ils soient définis. Codes : forbidden, owner_not_found."),
    HttpApiEndpoint.put("updateProvider", "/providers/:providerId", {
      params: { providerId: Id },
      payload: Schema.Struct({
        name: Schema.optionalKey(ProviderName),
        description: Schema.optionalKey(ProviderDescription),
        location: Schema.optionalKey(Point),
        landmark: Schema.optionalKey(ProviderLandmark)
      }),
      success: ProviderView,
      error: onProvider
    }),
    HttpApiEndpoint.put("setSchedule", "/providers/:providerId/schedule", { params: { providerId: Id }, payload: Hours, success: ProviderView, error: onProvider })
      .annotate(OpenApi.Description, "Remplace les horaires : par jour ISO (1 = lundi … 7 = dimanche) des plages HH:MM (une fermeture avant l'ouverture passe minuit, 18:00–02:00), et des exceptions datées (aucune plage = fermé ce jour-là). Heure d'Abidjan."),
    HttpApiEndpoint.post("pause", "/providers/:providerId/pause", { params: { providerId: Id }, success: ProviderView, error: onProvider })
      .annotate(OpenApi.Description, "Fermeture temporaire (rupture de gaz, cuisine débordée), quels que soient les horaires, jusqu'à /resume."),
    HttpApiEndpoint.post("resume", "/providers/:providerId/resume", { params: { providerId: Id }, success: ProviderView, error: onProvider }),

    HttpApiEndpoint.post("addCategory", "/providers/:providerId/categories", {
      params: { providerId: Id },
      payload: Schema.Struct({ name: CategoryName }),
      success: CategoryView.pipe(HttpApiSchema.status(201)),
      error: onProvider
    }),
    HttpApiEndpoint.put("renameCategory", "/providers/:providerId/categories/:categoryId", {
      params: { providerId: Id, categoryId: Id },
      payload: Schema.Struct({ name: CategoryName }),
      success: CategoryView,
      error: onCategory
    }),
    HttpApiEndpoint.delete("removeCategory", "/providers/:providerId/categories/:categoryId", {
      params: { providerId: Id, categoryId: Id },
      success: HttpApiSchema.NoContent,
      error: onCategory
    }).annotate(OpenApi.Description, "Supprime une catégorie ; ses produits restent à la carte, sans catégorie."),
    HttpApiEndpoint.put("reorderCategories", "/providers/:providerId/categories-order", {
      params: { providerId: Id },
      payload: Schema.Struct({ categoryIds: Schema.Array(Id).pipe(Schema.check(Schema.isMaxLength(200))) }),
      success: Schema.Array(CategoryView).pipe(Schema.check(Schema.isMaxLength(1_000))),
      error: [ProviderNotFoundProblem, CategoryOrderMismatchProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Nouvel ordre des catégories : chaque catégorie du fournisseur exactement une fois. Codes : category_order_mismatch."),

    HttpApiEndpoint.post("addProduct", "/providers/:providerId/products", {
      params: { providerId: Id },
      payload: Schema.Struct({
        categoryId: Schema.optionalKey(Schema.NullOr(Id)),
        name: ProductName,
        description: Schema.optionalKey(ProductDescription),
        priceXof: PriceXof,
        available: Schema.optionalKey(Schema.Boolean),
        stock: Schema.optionalKey(Stock),
        optionGroups: Schema.optionalKey(OptionGroups)
      }),
      success: ProductView.pipe(HttpApiSchema.status(201)),
      error: [ProviderNotFoundProblem, CategoryNotFoundProblem, OptionGroupInvalidProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Ajoute un produit : prix en francs entiers, stock (null = non compté), groupes d'options (minChoices ≤ maxChoices ≤ nombre d'options, suppléments à prix ≥ 0) et tailles (kind: size, un seul choix). Codes : option_group_invalid, not_found (catégorie)."),
    HttpApiEndpoint.put("updateProduct", "/providers/:providerId/products/:productId", {
      params: { providerId: Id, productId: Id },
      payload: Schema.Struct({
        categoryId: Schema.optionalKey(Schema.NullOr(Id)),
        name: Schema.optionalKey(ProductName),
        description: Schema.optionalKey(ProductDescription),
        priceXof: Schema.optionalKey(PriceXof),
        available: Schema.optionalKey(Schema.Boolean),
        stock: Schema.optionalKey(Stock),
        optionGroups: Schema.optionalKey(OptionGroups),
        position: Schema.optionalKey(IntBetween(0, 10_000))
      }),
      success: ProductView,
      error: [ProviderNotFoundProblem, ProductNotFoundProblem, CategoryNotFoundProblem, OptionGroupInvalidProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Modifie un produit ; les champs absents gardent leur valeur, optionGroups remplace tous les groupes (les id envoyés sont conservés)."),
    HttpApiEndpoint.delete("removeProduct", "/providers/:providerId/products/:productId", {
      params: { providerId: Id, productId: Id },
      success: HttpApiSchema.NoContent,
      error: onProduct
    }),
    HttpApiEndpoint.patch("changeProductStock", "/providers/:providerId/products/:productId/stock", {
      params: { providerId: Id, productId: Id },
      payload: StockChange,
      success: StockView,
      error: [ProviderNotFoundProblem, ProductNotFoundProblem, StockChangeRefusedProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Stock rapide : { stock } le fixe (null = ne plus compter), { adjustBy } l'ajuste d'un nombre signé, atomiquement. Codes : stock_below_zero, stock_above_maximum, stock_not_counted."),
    HttpApiEndpoint.post("changeProductPhoto", "/providers/:providerId/products/:productId/photo", {
      params: { providerId: Id, productId: Id },
      payload: Schema.Struct({ file: Multipart.SingleFileSchema }).pipe(HttpApiSchema.asMultipart(uploadLimits)),
      success: PhotoView,
      error: [ProviderNotFoundProblem, ProductNotFoundProblem, FileTooLargeProblem, UnsupportedFileTypeProblem, ImageUnreadableProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Photo du produit (multipart, champ `file`) : JPEG, PNG ou WebP, 5 Mo au plus ; redimensionnée (1024 px au plus), convertie en WebP, sans métadonnées. Codes : file_too_large, unsupported_file_type, image_unreadable."),
    HttpApiEndpoint.delete("removeProductPhoto", "/providers/:providerId/products/:productId/photo", {
      params: { providerId: Id, productId: Id },
      success: HttpApiSchema.NoContent,
      error: onProduct
    }),

    HttpApiEndpoint.post("addGasProduct", "/providers/:providerId/gas-products", {
      params: { providerId: Id },
      payload: Schema.Struct({
        brand: GasBrand,
        bottleSizeKg: BottleSizeKg,
        refillPriceXof: PriceXof,
        newBottlePriceXof: PriceXof,
        fullBottlesInStock: Schema.optionalKey(Stock),
        available: Schema.optionalKey(Schema.Boolean)
      }),
      success: GasProductView.pipe(HttpApiSchema.status(201)),
      error: [ProviderNotFoundProblem, NotAGasDepotProblem, GasPricesInconsistentProblem, GasProductDuplicateProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Une bouteille vendue par un dépôt : marque, taille (6, 12.5, 15, 17.5, 25, 28 kg), prix de la recharge, prix d'une bouteille neuve consigne comprise (au moins la recharge), bouteilles pleines en stock. Codes : not_a_gas_depot, gas_product_duplicate, gas_prices_inconsistent."),
    HttpApiEndpoint.put("updateGasProduct", "/providers/:providerId/gas-products/:gasProductId", {
      params: { providerId: Id, gasProductId: Id },
      payload: Schema.Struct({
        brand: Schema.optionalKey(GasBrand),
        bottleSizeKg: Schema.optionalKey(BottleSizeKg),
        refillPriceXof: Schema.optionalKey(PriceXof),
        newBottlePriceXof: Schema.optionalKey(PriceXof),
        fullBottlesInStock: Schema.optionalKey(Stock),
        available: Schema.optionalKey(Schema.Boolean)
      }),
      success: GasProductView,
      error: [ProviderNotFoundProblem, GasProductNotFoundProblem, GasPricesInconsistentProblem, GasProductDuplicateProblem, ServiceUnavailable]
    }),
    HttpApiEndpoint.delete("removeGasProduct", "/providers/:providerId/gas-products/:gasProductId", {
      params: { providerId: Id, gasProductId: Id },
      success: HttpApiSchema.NoContent,
      error: onGasProduct
    }),
    HttpApiEndpoint.patch("changeGasStock", "/providers/:providerId/gas-products/:gasProductId/stock", {
      params: { providerId: Id, gasProductId: Id },
      payload: StockChange,
      success: GasStockView,
      error: [ProviderNotFoundProblem, GasProductNotFoundProblem, StockChangeRefusedProblem, ServiceUnavailable]
    }).annotate(OpenApi.Description, "Bouteilles pleines : { stock } fixe leur nombre (null = ne plus compter), { adjustBy } l'ajuste d'un nombre signé, atomiquement. Codes : stock_below_zero, stock_above_maximum, stock_not_counted.")
  )
  .middleware(Authentication)
  .prefix("/api/v1")
  .annotateMerge(OpenApi.annotations({ title: "Gestion du catalogue" }))
{}
