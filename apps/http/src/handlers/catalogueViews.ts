import type { Category } from "@nelo/domain/catalogue/Category"
import type { Menu } from "@nelo/domain/catalogue/Menu"
import type { ProviderAtInstant } from "@nelo/domain/catalogue/openingState"
import type { GasProduct, Product } from "@nelo/domain/catalogue/Product"
import { depositXof, isGasOrderable, isOrderable } from "@nelo/domain/catalogue/productRules"
import type { NearbyProvider } from "@nelo/domain/catalogue/providerSearch"
import type { PublicUrlOf } from "./views.ts"

export const providerView = ({ isOpen, nextOpenAtMs, provider }: ProviderAtInstant) => ({
  id: provider.id,
  type: provider.type,
  name: provider.name,
  description: provider.description,
  location: provider.location,
  landmark: provider.landmark,
  zone: provider.zone,
  schedule: provider.schedule,
  isOpen,
  nextOpenAt: nextOpenAtMs === undefined ? null : new Date(nextOpenAtMs).toISOString()
})

export const providerSummaryView = ({ isOpen, nextOpenAtMs, provider }: ProviderAtInstant) => ({
  id: provider.id,
  type: provider.type,
  name: provider.name,
  location: provider.location,
  landmark: provider.landmark,
  zone: provider.zone,
  paused: provider.schedule.paused,
  isOpen,
  nextOpenAt: nextOpenAtMs === undefined ? null : new Date(nextOpenAtMs).toISOString()
})

export const nearbyProviderView = (nearby: NearbyProvider) => ({ ...providerSummaryView(nearby), distanceM: nearby.distanceM })

export const categoryView = (category: Category) => ({ id: category.id, name: category.name, position: category.position })

export const productView = (publicUrlOf: PublicUrlOf) => (product: Product) => ({
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

export const gasProductView = (gas: GasProduct) => ({
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
  const brands: Array<{ brand: GasProduct["brand"]; bottles: Array<ReturnType<typeof gasProductView>> }> = []
  for (const gas of gasProducts) {
    const last = brands.at(-1)
    if (last?.brand === gas.brand) last.bottles.push(gasProductView(gas))
    else brands.push({ brand: gas.brand, bottles: [gasProductView(gas)] })
  }
  return brands
}

export const menuView = (publicUrlOf: PublicUrlOf) => (read: ProviderAtInstant & { readonly menu: Menu }) => {
  const product = productView(publicUrlOf)
  return {
    provider: providerView(read),
    categories: read.menu.categories.map((entry) => ({ ...categoryView(entry.category), products: entry.products.map(product) })),
    uncategorized: read.menu.uncategorized.map(product),
    gasBrands: byBrand(read.menu.gasProducts)
  }
}
