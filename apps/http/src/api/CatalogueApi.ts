import { Schema } from "effect"
import { Multipart } from "effect/http"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { CategoryName } from "@nelo/domain/catalogue/Category"
import { defaultNearbyRadiusM, maximumNearbyRadiusM } from "@nelo/domain/catalogue/nearbyCell"
import { BottleSizeKg, GasBrand, maximumStock, OptionGroupKind } from "@nelo/domain/catalogue/Product"
import { ProviderDescription, ProviderLandmark, ProviderName, ProviderType } from "@nelo/domain/catalogue/Provider"
import { maximumPageSize } from "@nelo/domain/catalogue/providerSearch"
import { DatedHours, OpeningInterval, Weekday } from "@nelo/domain/catalogue/Schedule"
import { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import { isPlainText } from "@nelo/domain/shared/plainText"
import { Authentication } from "../shared/Authentication.ts"
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

const Id = Schema.String.pipe(Schema.check(Schema.isUUID()))
const Cursor = Schema.String.pipe(Schema.check(Schema.isMaxLength(512)))
const PageSize = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: maximumPageSize })))
// Whole francs; a ceiling far above any price catches a typo (an extra zero or three) at the door.
const PriceXof = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 10_000_000 })))
const Stock = Schema.NullOr(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: maximumStock }))))

export const ScheduleView = Schema.Struct({
  timeZone: Schema.String,
  weekly: Schema.Array(Schema.Struct({ weekday: Schema.Number, intervals: Schema.Array(OpeningInterval) })),
  exceptions: Schema.Array(DatedHours),
  paused: Schema.Boolean
})

export const ProviderView = Schema.Struct({
  id: Schema.String,
  type: ProviderType,
  name: Schema.String,
  description: Schema.String,
  location: GeoPoint,
  landmark: Schema.String,
  zone: Schema.NullOr(Schema.Struct({ id: Schema.String, slug: Schema.String, name: Schema.String })),
  schedule: ScheduleView,
  isOpen: Schema.Boolean,
  /** ISO instant; null when open, paused, or without hours ahead. */
  nextOpenAt: Schema.NullOr(Schema.String)
})

/**
 * A provider in a list: what the card on the phone shows. No schedule nor description (the detail
 * endpoints have them): a page of twenty stays a few kilobytes on a slow connection.
 */
export const ProviderSummaryView = Schema.Struct({
  id: ProviderView.fields.id,
  type: ProviderView.fields.type,
  name: ProviderView.fields.name,
  location: ProviderView.fields.location,
  landmark: ProviderView.fields.landmark,
  zone: ProviderView.fields.zone,
  paused: Schema.Boolean,
  isOpen: ProviderView.fields.isOpen,
  nextOpenAt: ProviderView.fields.nextOpenAt
})

export const NearbyProviderView = Schema.Struct({ ...ProviderSummaryView.fields, distanceM: Schema.Number })

export const ProductView = Schema.Struct({
  id: Schema.String,
  categoryId: Schema.NullOr(Schema.String),
  name: Schema.String,
  description: Schema.String,
  priceXof: Schema.Number,
  available: Schema.Boolean,
  stock: Schema.NullOr(Schema.Number),
  /** Available and not out of stock: what the customer app greys out. */
  orderable: Schema.Boolean,
  optionGroups: Schema.Array(Schema.Struct({
    id: Schema.String,
    kind: OptionGroupKind,
    name: Schema.String,
    minChoices: Schema.Number,
    maxChoices: Schema.Number,
    options: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String, priceDeltaXof: Schema.Number }))
  })),
  photoUrl: Schema.NullOr(Schema.String),
  position: Schema.Number
})

export const GasProductView = Schema.Struct({
  id: Schema.String,
  brand: GasBrand,
  bottleSizeKg: Schema.Number,
  refillPriceXof: Schema.Number,
  newBottlePriceXof: Schema.Number,
  /** The consigne: what a new bottle costs above a refill. */
  depositXof: Schema.Number,
  fullBottlesInStock: Schema.NullOr(Schema.Number),
  available: Schema.Boolean,
  orderable: Schema.Boolean
})

export const CategoryView = Schema.Struct({ id: Schema.String, name: Schema.String, position: Schema.Number })

export const MenuView = Schema.Struct({
  provider: ProviderView,
  categories: Schema.Array(Schema.Struct({ ...CategoryView.fields, products: Schema.Array(ProductView) })),
  uncategorized: Schema.Array(ProductView),
  /** Gas depots: the bottles grouped by brand, each brand's sizes from small to large. */
  gasBrands: Schema.Array(Schema.Struct({ brand: GasBrand, bottles: Schema.Array(GasProductView) }))
})

const page = <Item extends Schema.Top>(item: Item) => Schema.Struct({ items: Schema.Array(item), nextCursor: Schema.NullOr(Schema.String) })

export const catalogueErrors = [
  InvalidRequest,
  UnauthorizedProblem,
  ForbiddenProblem,
  NotFoundProblem,
  ConflictProblem,
  PayloadTooLargeProblem,
  UnsupportedMediaTypeProblem,
  UnprocessableProblem,
  TooManyRequestsProblem,
  ServiceUnavailableProblem
] as const

const Hours = Schema.Struct({
  weekly: Schema.Array(Schema.Struct({
    weekday: Weekday,
    intervals: Schema.Array(OpeningInterval).pipe(Schema.check(Schema.isMaxLength(6)))
  })).pipe(Schema.check(Schema.isMaxLength(7))),
  exceptions: Schema.optionalKey(Schema.Array(Schema.Struct({
    date: DatedHours.fields.date,
    intervals: Schema.Array(OpeningInterval).pipe(Schema.check(Schema.isMaxLength(6)))
  })).pipe(Schema.check(Schema.isMaxLength(366))))
})

const OptionName = Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMinLength(1), Schema.isMaxLength(80)))
const OptionGroupInput = Schema.Struct({
  id: Schema.optionalKey(Id),
  kind: Schema.optionalKey(OptionGroupKind),
  name: OptionName,
  minChoices: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 30 }))),
  maxChoices: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 30 }))),
  options: Schema.Array(Schema.Struct({
    id: Schema.optionalKey(Id),
    name: OptionName,
    priceDeltaXof: PriceXof
  })).pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(30)))
})

const ProductName = Schema.String.pipe(Schema.check(isPlainText, Schema.isTrimmed(), Schema.isMinLength(1), Schema.isMaxLength(120)))
const ProductDescription = Schema.String.pipe(Schema.check(isPlainText, Schema.isMaxLength(1000)))
const productFields = {
  categoryId: Schema.NullOr(Id),
  name: ProductName,
  description: ProductDescription,
  priceXof: PriceXof,
  available: Schema.Boolean,
  stock: Stock,
  optionGroups: Schema.Array(OptionGroupInput).pipe(Schema.check(Schema.isMaxLength(10)))
}

// Exactly one of the two: a body with both would be ambiguous (set, or adjust?).
const StockChange = Schema.Struct({
  stock: Schema.optionalKey(Stock),
  adjustBy: Schema.optionalKey(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: -maximumStock, maximum: maximumStock }))))
}).pipe(Schema.check(Schema.makeFilter((change) => ("stock" in change) !== ("adjustBy" in change), { expected: "{ stock } ou { adjustBy }, l'un des deux exactement" })))

const gasFields = {
  brand: GasBrand,
  bottleSizeKg: BottleSizeKg,
  refillPriceXof: PriceXof,
  newBottlePriceXof: PriceXof,
  fullBottlesInStock: Stock,
  available: Schema.Boolean
}

const uploadLimits = { maxParts: 4, maxFileSize: "6 MB" } as const

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
      success: page(ProviderSummaryView),
      error: catalogueErrors
    }).annotate(OpenApi.Description, `Fournisseurs par nom (recherche sans accents : « cafe » trouve « Café »), filtres type, zoneId, openNow. Pagination : limit (${maximumPageSize} au plus, 20 par défaut) et cursor = nextCursor de la page précédente. Codes : cursor_invalid.`),
    HttpApiEndpoint.get("nearby", "/providers/nearby", {
      query: {
        lat: GeoPoint.fields.lat,
        lng: GeoPoint.fields.lng,
        radiusM: Schema.optionalKey(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: maximumNearbyRadiusM })))),
        type: Schema.optionalKey(ProviderType),
        openNow: Schema.optionalKey(Schema.Boolean),
        cursor: Schema.optionalKey(Cursor),
        limit: Schema.optionalKey(PageSize)
      },
      success: page(NearbyProviderView),
      error: catalogueErrors
    }).annotate(OpenApi.Description, `Fournisseurs autour d'un point, du plus proche au plus loin, dans radiusM mètres (${defaultNearbyRadiusM} par défaut, ${maximumNearbyRadiusM} au plus), avec distanceM, isOpen, nextOpenAt et la zone. L'ordre est celui du carré d'environ 110 m où se trouve le point (les pages suivantes restent cohérentes) ; distanceM est mesurée depuis le point lui-même. Codes : cursor_invalid.`),
    HttpApiEndpoint.get("get", "/providers/:providerId", { params: { providerId: Id }, success: ProviderView, error: catalogueErrors }),
    HttpApiEndpoint.get("menu", "/providers/:providerId/menu", { params: { providerId: Id }, success: MenuView, error: catalogueErrors })
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
      success: page(ProviderView),
      error: catalogueErrors
    }).annotate(OpenApi.Description, "Les établissements dont on est propriétaire (l'application fournisseur), par nom, paginés."),
    HttpApiEndpoint.post("createProvider", "/providers", {
      payload: Schema.Struct({
        type: ProviderType,
        name: ProviderName,
        description: Schema.optionalKey(ProviderDescription),
        location: GeoPoint,
        landmark: Schema.optionalKey(ProviderLandmark),
        ownerId: Schema.optionalKey(Id),
        hours: Schema.optionalKey(Hours)
      }),
      success: ProviderView.pipe(HttpApiSchema.status(201)),
      error: catalogueErrors
    }).annotate(OpenApi.Description, "Crée un fournisseur : le sien (rôle provider), ou pour un autre compte (administrateurs, ownerId), qui reçoit alors le rôle provider. Sans horaires, il est fermé jusqu'à ce qu'ils soient définis. Codes : forbidden, owner_not_found."),
    HttpApiEndpoint.put("updateProvider", "/providers/:providerId", {
      params: { providerId: Id },
      payload: Schema.Struct({
        name: Schema.optionalKey(ProviderName),
        description: Schema.optionalKey(ProviderDescription),
        location: Schema.optionalKey(GeoPoint),
        landmark: Schema.optionalKey(ProviderLandmark)
      }),
      success: ProviderView,
      error: catalogueErrors
    }),
    HttpApiEndpoint.put("setSchedule", "/providers/:providerId/schedule", { params: { providerId: Id }, payload: Hours, success: ProviderView, error: catalogueErrors })
      .annotate(OpenApi.Description, "Remplace les horaires : par jour ISO (1 = lundi … 7 = dimanche) des plages HH:MM (une fermeture avant l'ouverture passe minuit, 18:00–02:00), et des exceptions datées (aucune plage = fermé ce jour-là). Heure d'Abidjan."),
    HttpApiEndpoint.post("pause", "/providers/:providerId/pause", { params: { providerId: Id }, success: ProviderView, error: catalogueErrors })
      .annotate(OpenApi.Description, "Fermeture temporaire (rupture de gaz, cuisine débordée), quels que soient les horaires, jusqu'à /resume."),
    HttpApiEndpoint.post("resume", "/providers/:providerId/resume", { params: { providerId: Id }, success: ProviderView, error: catalogueErrors }),

    HttpApiEndpoint.post("addCategory", "/providers/:providerId/categories", {
      params: { providerId: Id },
      payload: Schema.Struct({ name: CategoryName }),
      success: CategoryView.pipe(HttpApiSchema.status(201)),
      error: catalogueErrors
    }),
    HttpApiEndpoint.put("renameCategory", "/providers/:providerId/categories/:categoryId", {
      params: { providerId: Id, categoryId: Id },
      payload: Schema.Struct({ name: CategoryName }),
      success: CategoryView,
      error: catalogueErrors
    }),
    HttpApiEndpoint.delete("removeCategory", "/providers/:providerId/categories/:categoryId", {
      params: { providerId: Id, categoryId: Id },
      success: HttpApiSchema.NoContent,
      error: catalogueErrors
    }).annotate(OpenApi.Description, "Supprime une catégorie ; ses produits restent à la carte, sans catégorie."),
    HttpApiEndpoint.put("reorderCategories", "/providers/:providerId/categories-order", {
      params: { providerId: Id },
      payload: Schema.Struct({ categoryIds: Schema.Array(Id).pipe(Schema.check(Schema.isMaxLength(200))) }),
      success: Schema.Array(CategoryView),
      error: catalogueErrors
    }).annotate(OpenApi.Description, "Nouvel ordre des catégories : chaque catégorie du fournisseur exactement une fois. Codes : category_order_mismatch."),

    HttpApiEndpoint.post("addProduct", "/providers/:providerId/products", {
      params: { providerId: Id },
      payload: Schema.Struct({
        ...productFields,
        categoryId: Schema.optionalKey(productFields.categoryId),
        description: Schema.optionalKey(ProductDescription),
        available: Schema.optionalKey(Schema.Boolean),
        stock: Schema.optionalKey(Stock),
        optionGroups: Schema.optionalKey(productFields.optionGroups)
      }),
      success: ProductView.pipe(HttpApiSchema.status(201)),
      error: catalogueErrors
    }).annotate(OpenApi.Description, "Ajoute un produit : prix en francs entiers, stock (null = non compté), groupes d'options (minChoices ≤ maxChoices ≤ nombre d'options, suppléments à prix ≥ 0) et tailles (kind: size, un seul choix). Codes : option_group_invalid, not_found (catégorie)."),
    HttpApiEndpoint.put("updateProduct", "/providers/:providerId/products/:productId", {
      params: { providerId: Id, productId: Id },
      payload: Schema.Struct({
        categoryId: Schema.optionalKey(productFields.categoryId),
        name: Schema.optionalKey(ProductName),
        description: Schema.optionalKey(ProductDescription),
        priceXof: Schema.optionalKey(PriceXof),
        available: Schema.optionalKey(Schema.Boolean),
        stock: Schema.optionalKey(Stock),
        optionGroups: Schema.optionalKey(productFields.optionGroups),
        position: Schema.optionalKey(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 10_000 }))))
      }),
      success: ProductView,
      error: catalogueErrors
    }).annotate(OpenApi.Description, "Modifie un produit ; les champs absents gardent leur valeur, optionGroups remplace tous les groupes (les id envoyés sont conservés)."),
    HttpApiEndpoint.delete("removeProduct", "/providers/:providerId/products/:productId", {
      params: { providerId: Id, productId: Id },
      success: HttpApiSchema.NoContent,
      error: catalogueErrors
    }),
    HttpApiEndpoint.patch("changeProductStock", "/providers/:providerId/products/:productId/stock", {
      params: { providerId: Id, productId: Id },
      payload: StockChange,
      success: Schema.Struct({ stock: Schema.NullOr(Schema.Number) }),
      error: catalogueErrors
    }).annotate(OpenApi.Description, "Stock rapide : { stock } le fixe (null = ne plus compter), { adjustBy } l'ajuste d'un nombre signé, atomiquement. Codes : stock_below_zero, stock_above_maximum, stock_not_counted."),
    HttpApiEndpoint.post("changeProductPhoto", "/providers/:providerId/products/:productId/photo", {
      params: { providerId: Id, productId: Id },
      payload: Schema.Struct({ file: Multipart.SingleFileSchema }).pipe(HttpApiSchema.asMultipart(uploadLimits)),
      success: Schema.Struct({ photoUrl: Schema.String }),
      error: catalogueErrors
    }).annotate(OpenApi.Description, "Photo du produit (multipart, champ `file`) : JPEG, PNG ou WebP, 5 Mo au plus ; redimensionnée (1024 px au plus), convertie en WebP, sans métadonnées. Codes : file_too_large, unsupported_file_type, image_unreadable."),
    HttpApiEndpoint.delete("removeProductPhoto", "/providers/:providerId/products/:productId/photo", {
      params: { providerId: Id, productId: Id },
      success: HttpApiSchema.NoContent,
      error: catalogueErrors
    }),

    HttpApiEndpoint.post("addGasProduct", "/providers/:providerId/gas-products", {
      params: { providerId: Id },
      payload: Schema.Struct({ ...gasFields, fullBottlesInStock: Schema.optionalKey(Stock), available: Schema.optionalKey(Schema.Boolean) }),
      success: GasProductView.pipe(HttpApiSchema.status(201)),
      error: catalogueErrors
    }).annotate(OpenApi.Description, "Une bouteille vendue par un dépôt : marque, taille (6, 12.5, 15, 17.5, 25, 28 kg), prix de la recharge, prix d'une bouteille neuve consigne comprise (au moins la recharge), bouteilles pleines en stock. Codes : not_a_gas_depot, gas_product_duplicate, gas_prices_inconsistent."),
    HttpApiEndpoint.put("updateGasProduct", "/providers/:providerId/gas-products/:gasProductId", {
      params: { providerId: Id, gasProductId: Id },
      payload: Schema.Struct({
        brand: Schema.optionalKey(gasFields.brand),
        bottleSizeKg: Schema.optionalKey(gasFields.bottleSizeKg),
        refillPriceXof: Schema.optionalKey(PriceXof),
        newBottlePriceXof: Schema.optionalKey(PriceXof),
        fullBottlesInStock: Schema.optionalKey(Stock),
        available: Schema.optionalKey(Schema.Boolean)
      }),
      success: GasProductView,
      error: catalogueErrors
    }),
    HttpApiEndpoint.delete("removeGasProduct", "/providers/:providerId/gas-products/:gasProductId", {
      params: { providerId: Id, gasProductId: Id },
      success: HttpApiSchema.NoContent,
      error: catalogueErrors
    }),
    HttpApiEndpoint.patch("changeGasStock", "/providers/:providerId/gas-products/:gasProductId/stock", {
      params: { providerId: Id, gasProductId: Id },
      payload: StockChange,
      success: Schema.Struct({ fullBottlesInStock: Schema.NullOr(Schema.Number) }),
      error: catalogueErrors
    })
  )
  .middleware(Authentication)
  .prefix("/api/v1")
  .annotateMerge(OpenApi.annotations({ title: "Gestion du catalogue" }))
{}
