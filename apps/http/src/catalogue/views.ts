import { Schema } from "effect"
import type { Category } from "@nelo/domain/catalogue/Category"
import type { Menu } from "@nelo/domain/catalogue/Menu"
import type { ProviderAtInstant } from "@nelo/domain/catalogue/openingState"
import { BottleSizeKg, GasBrand, type GasProduct, OptionGroupKind, type Product } from "@nelo/domain/catalogue/Product"
import { depositXof, isGasOrderable, isOrderable } from "@nelo/domain/catalogue/productRules"
import { type Provider, ProviderType } from "@nelo/domain/catalogue/Provider"
import type { NearbyProvider } from "@nelo/domain/catalogue/providerSearch"
import { maximumPageSize } from "@nelo/domain/catalogue/providerSearch"
import { DatedHours, OpeningInterval } from "@nelo/domain/catalogue/Schedule"
import { averageStars } from "@nelo/domain/deliveries/Rating"
import { FiniteBetween, Francs, Id, Instant, IntBetween, Point, Text } from "../shared/bounded.ts"

// What the catalogue endpoints answer. The bounds are those of what the stores can hold (a stock
// is a Postgres integer), generous where the domain sets none (how many products a menu lists).

const Count = IntBetween(0, 2_147_483_647)
const Position = IntBetween(0, 2_147_483_647)
const Price = IntBetween(0, Number.MAX_SAFE_INTEGER)

/** Opening and closing times (HH:MM) and dated exceptions (YYYY-MM-DD), as the domain checks them. */
export const Interval = Schema.Struct({
  opens: OpeningInterval.fields.opens.pipe(Schema.check(Schema.isMaxLength(5))),
  closes: OpeningInterval.fields.closes.pipe(Schema.check(Schema.isMaxLength(5)))
})
export const DateText = DatedHours.fields.date.pipe(Schema.check(Schema.isMaxLength(10)))

export const ScheduleView = Schema.Struct({
  timeZone: Text(64),
  weekly: Schema.Array(Schema.Struct({
    weekday: IntBetween(1, 7),
    intervals: Schema.Array(Interval).pipe(Schema.check(Schema.isMaxLength(24)))
  })).pipe(Schema.check(Schema.isMaxLength(7))),
  exceptions: Schema.Array(Schema.Struct({
    date: DateText,
    intervals: Schema.Array(Interval).pipe(Schema.check(Schema.isMaxLength(24)))
  })).pipe(Schema.check(Schema.isMaxLength(1000))),
  paused: Schema.Boolean
})

export const ZoneView = Schema.Struct({ id: Id, slug: Text(200), name: Text(200) })

/**
 * Customers' ratings of the provider's delivered orders: the mean of their stars (1..5, one
 * decimal; null before the first) and how many. Menus and nearby pages are cached (5 minutes and
 * 20 seconds at most, CatalogueCache): a new rating may show there that much later, which is fine
 * for a mean; the provider's own page (GET /providers/{id}) reads the store.
 */
export const RatingView = Schema.Struct({ average: Schema.NullOr(FiniteBetween(1, 5)), count: Count })

export const ratingView = (provider: Pick<Provider, "ratingSum" | "ratingCount">): typeof RatingView.Type => {
  // A menu cached before ratings existed holds a provider without them: no rating yet, then.
  const sum = provider.ratingSum ?? 0
  const count = provider.ratingCount ?? 0
  return { average: averageStars(sum, count), count }
}

export const ProviderView = Schema.Struct({
  id: Id,
  type: ProviderType,
  name: Text(120),
  description: Text(1000),
  location: Point,
  landmark: Text(300),
  zone: Schema.NullOr(ZoneView),
  schedule: ScheduleView,
  isOpen: Schema.Boolean,
  /** ISO instant; null when open, paused, or without hours ahead. */
  nextOpenAt: Schema.NullOr(Instant),
  rating: RatingView
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
  nextOpenAt: ProviderView.fields.nextOpenAt,
  rating: ProviderView.fields.rating
})

/**
 * distanceM is from the caller's own point, in whole meters: within the radius (and the ~80 m to the
 * centre of the caller's cell) for a first page; a later page follows its cursor's cell, so the
 * bound is half the Earth's circumference.
 */
export const NearbyProviderView = Schema.Struct({ ...ProviderSummaryView.fields, distanceM: IntBetween(0, 20_040_000) })

export const ProductView = Schema.Struct({
  id: Id,
  categoryId: Schema.NullOr(Id),
  name: Text(120),
  description: Text(1000),
  priceXof: Price,
  available: Schema.Boolean,
  stock: Schema.NullOr(Count),
  /** Available and not out of stock: what the customer app greys out. */
  orderable: Schema.Boolean,
  optionGroups: Schema.Array(Schema.Struct({
    id: Id,
    kind: OptionGroupKind,
    name: Text(80),
    minChoices: IntBetween(0, 1000),
    maxChoices: IntBetween(1, 1000),
    options: Schema.Array(Schema.Struct({ id: Id, name: Text(80), priceDeltaXof: Price })).pipe(Schema.check(Schema.isMaxLength(1000)))
  })).pipe(Schema.check(Schema.isMaxLength(100))),
  photoUrl: Schema.NullOr(Text(2000)),
  position: Position
})

export const GasProductView = Schema.Struct({
  id: Id,
  brand: GasBrand,
  bottleSizeKg: BottleSizeKg,
  refillPriceXof: Price,
  newBottlePriceXof: Price,
  /** The consigne: what a new bottle costs above a refill. */
  depositXof: Francs,
  fullBottlesInStock: Schema.NullOr(Count),
  available: Schema.Boolean,
  orderable: Schema.Boolean
})

export const CategoryView = Schema.Struct({ id: Id, name: Text(80), position: Position })

const Products = Schema.Array(ProductView).pipe(Schema.check(Schema.isMaxLength(10_000)))

export const MenuView = Schema.Struct({
  provider: ProviderView,
  categories: Schema.Array(Schema.Struct({ ...CategoryView.fields, products: Products })).pipe(Schema.check(Schema.isMaxLength(1_000))),
  uncategorized: Products,
  /** Gas depots: the bottles grouped by brand, each brand's sizes from small to large. */
  gasBrands: Schema.Array(Schema.Struct({
    brand: GasBrand,
    bottles: Schema.Array(GasProductView).pipe(Schema.check(Schema.isMaxLength(BottleSizeKg.literals.length)))
  })).pipe(Schema.check(Schema.isMaxLength(GasBrand.literals.length)))
})

/** Cursors are opaque: the position after the last item, as base64url JSON. */
export const NextCursor = Schema.NullOr(Text(1024))

export const page = <Item extends Schema.Top>(item: Item) =>
  Schema.Struct({ items: Schema.Array(item).pipe(Schema.check(Schema.isMaxLength(maximumPageSize))), nextCursor: NextCursor })

export const ProvidersPage = page(ProviderSummaryView)
export const NearbyProvidersPage = page(NearbyProviderView)
export const MyProvidersPage = page(ProviderView)

export const StockView = Schema.Struct({ stock: Schema.NullOr(Count) })

export const GasStockView = Schema.Struct({ fullBottlesInStock: Schema.NullOr(Count) })

export const PhotoView = Schema.Struct({ photoUrl: Text(2000) })

/** Where a stored public object (a product photo) is served. */
export type PublicUrlOf = (key: string) => string

export const providerView = ({ isOpen, nextOpenAtMs, provider }: ProviderAtInstant): typeof ProviderView.Type => ({
  id: provider.id,
  type: provider.type,
  name: provider.name,
  description: provider.description,
  location: provider.location,
  landmark: provider.landmark,
  zone: provider.zone,
  schedule: provider.schedule,
  isOpen,
  nextOpenAt: nextOpenAtMs === undefined ? null : new Date(nextOpenAtMs).toISOString(),
  rating: ratingView(provider)
})

export const providerSummaryView = ({ isOpen, nextOpenAtMs, provider }: ProviderAtInstant): typeof ProviderSummaryView.Type => ({
  id: provider.id,
  type: provider.type,
  name: provider.name,
  location: provider.location,
  landmark: provider.landmark,
  zone: provider.zone,
  paused: provider.schedule.paused,
  isOpen,
  nextOpenAt: nextOpenAtMs === undefined ? null : new Date(nextOpenAtMs).toISOString(),
  rating: ratingView(provider)
})

export const nearbyProviderView = (nearby: NearbyProvider): typeof NearbyProviderView.Type => ({ ...providerSummaryView(nearby), distanceM: nearby.distanceM })

export const categoryView = (category: Category): typeof CategoryView.Type => ({ id: category.id, name: category.name, position: category.position })

export const productView = (publicUrlOf: PublicUrlOf) => (product: Product): typeof ProductView.Type => ({
  id: product.id,
  categoryId: product.categoryId,
  name: product.name,
  description: product.description,
  priceXof: product.priceXof,
  available: product.available,
  stock: product.stock,
  orderable: isOrderable(product),
  optionGroups: product.optionGroups,
  photoUrl: product.photoKey === null ? null : publicUrlOf(product.photoKey),
  position: product.position
})

export const gasProductView = (gas: GasProduct): typeof GasProductView.Type => ({
  id: gas.id,
  brand: gas.brand,
  bottleSizeKg: gas.bottleSizeKg,
  refillPriceXof: gas.refillPriceXof,
  newBottlePriceXof: gas.newBottlePriceXof,
  depositXof: depositXof(gas),
  fullBottlesInStock: gas.fullBottlesInStock,
  available: gas.available,
  orderable: isGasOrderable(gas)
})

/** The menu's gas lines are sorted by brand then size: grouping keeps that order. */
const byBrand = (gasProducts: ReadonlyArray<GasProduct>) => {
  const brands: Array<{ brand: GasProduct["brand"]; bottles: Array<typeof GasProductView.Type> }> = []
  for (const gas of gasProducts) {
    const last = brands.at(-1)
    if (last?.brand === gas.brand) last.bottles.push(gasProductView(gas))
    else brands.push({ brand: gas.brand, bottles: [gasProductView(gas)] })
  }
  return brands
}

export const menuView = (publicUrlOf: PublicUrlOf) => (read: ProviderAtInstant & { readonly menu: Menu }): typeof MenuView.Type => {
  const product = productView(publicUrlOf)
  return {
    provider: providerView(read),
    categories: read.menu.categories.map((entry) => ({ ...categoryView(entry.category), products: entry.products.map(product) })),
    uncategorized: read.menu.uncategorized.map(product),
    gasBrands: byBrand(read.menu.gasProducts)
  }
}
