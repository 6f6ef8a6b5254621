import { Effect, Layer, Option } from "effect"
import { AddressRepositoryMemory } from "@nelo/adapters/memory/AddressRepositoryMemory"
import { CatalogueCacheMemory } from "@nelo/adapters/memory/CatalogueCacheMemory"
import { DeliveryFeeRepositoryMemory } from "@nelo/adapters/memory/DeliveryFeeRepositoryMemory"
import { MenuRepositoryMemory } from "@nelo/adapters/memory/MenuRepositoryMemory"
import { OrderRepositoryMemory } from "@nelo/adapters/memory/OrderRepositoryMemory"
import { OrderFeedMemory } from "@nelo/adapters/memory/OrderFeedMemory"
import type { OrderFeed } from "@nelo/domain/orders/OrderFeed"
import { PromotionRepositoryMemory } from "@nelo/adapters/memory/PromotionRepositoryMemory"
import { ProviderRepositoryMemory } from "@nelo/adapters/memory/ProviderRepositoryMemory"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { makeSetPin } from "@nelo/domain/auth/pin"
import { MenuRepository } from "@nelo/domain/catalogue/MenuRepository"
import type { OptionGroup } from "@nelo/domain/catalogue/Product"
import { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import type { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { Orders } from "@nelo/domain/orders/Orders"
import { OrderTimers } from "@nelo/domain/orders/OrderTimers"
import { OrderDeadlinesMemory } from "@nelo/adapters/memory/OrderDeadlinesMemory"
import { OrderPolicy } from "@nelo/domain/orders/OrderPolicy"
import { IdGenerator } from "@nelo/domain/shared/IdGenerator"
import type { Phone } from "@nelo/domain/shared/Phone"
import { xof } from "@nelo/domain/shared/Xof"
import { AddressRepository } from "@nelo/domain/users/AddressRepository"
import { makeCreateUser } from "@nelo/domain/users/createUser"
import type { UserId } from "@nelo/domain/users/User"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { Wallet } from "@nelo/domain/wallet/Wallet"
import { Payments } from "@nelo/domain/payments/Payments"
import { WalletPolicy } from "@nelo/domain/wallet/WalletPolicy"
import { WalletWrongPinObserver } from "@nelo/domain/wallet/wrongPinWatch"
import { walletAdapters } from "../wallet/walletFixtures.ts"
import { fundWallet } from "../support/fundWallet.ts"

/** The town centre of Tiassalé (in a quartier) and a spot about 1.2 km from it (in another). */
export const townCentre: GeoPoint = { lat: 5.898, lng: -4.822 }
export const nearHome: GeoPoint = { lat: 5.905, lng: -4.83 }

export type OrdersContext = Layer.Success<ReturnType<typeof ordersContext>>

/** Every port of the orders context in memory, Tiassalé's zones seeded, the policies' defaults. */
export const ordersContext = (policy: Layer.Layer<OrderPolicy> = OrderPolicy.defaults, feed: Layer.Layer<OrderFeed> = OrderFeedMemory) => {
  const zones = Layer.effectDiscard(Effect.asVoid(seedCity(tiassale))).pipe(Layer.provideMerge(ZoneRepositoryMemory))
  const ports = Layer.mergeAll(
    OrderRepositoryMemory,
    feed,
    PromotionRepositoryMemory,
    DeliveryFeeRepositoryMemory,
    MenuRepositoryMemory,
    ProviderRepositoryMemory,
    AddressRepositoryMemory,
    CatalogueCacheMemory
  ).pipe(Layer.provideMerge(zones), Layer.provideMerge(Layer.mergeAll(walletAdapters, WalletPolicy.defaults, policy)))
  return Layer.mergeAll(Orders.layer, OrderTimers.layer, Wallet.layer, Payments.layer).pipe(
    Layer.provideMerge(WalletWrongPinObserver),
    Layer.provideMerge(Layer.merge(ports, OrderDeadlinesMemory))
  )
}

let phoneCounter = 0
const nextPhone = () => `+22507${String(10_000_000 + (phoneCounter++ % 89_999_999)).padStart(8, "0")}` as Phone

/** A customer with a PIN, an address near the town centre and `balanceXof` in the wallet. */
export const customer = (balanceXof: number, pin = "2580") =>
  Effect.gen(function*() {
    const user = yield* (yield* makeCreateUser)({ phone: nextPhone(), fullName: "Aya Kouassi", language: "fr", roles: ["client"], referredBy: null, passwordHash: null, createdAt: new Date(0) })
    yield* (yield* makeSetPin)(user.id, { pin })
    const address = yield* (yield* AddressRepository).create({ id: yield* (yield* IdGenerator).uuid, userId: user.id, label: "Maison", location: nearHome, landmark: "portail bleu", isDefault: true, now: new Date(0) })
    if (balanceXof > 0) yield* fundWallet(user.id, balanceXof)
    return { id: user.id, addressId: address.id, pin }
  })

export const balanceOf = (userId: UserId) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    return (yield* ledger.stateOf((yield* ledger.walletOf(userId)).id)).balanceXof
  })

export const escrowOf = (providerId: string) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    return (yield* ledger.stateOf((yield* ledger.escrowOf(providerId)).id)).balanceXof
  })

const allDay = { weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday: weekday as 1, intervals: [{ opens: "00:00", closes: "24:00" }] })), exceptions: [], paused: false, timeZone: "Africa/Abidjan" }

const sizes: OptionGroup = {
  id: "size-group",
  kind: "size",
  name: "Taille",
  minChoices: 1,
  maxChoices: 1,
  options: [{ id: "size-small", name: "Petit", priceDeltaXof: xof(0) }, { id: "size-large", name: "Grand", priceDeltaXof: xof(500) }]
}

/**
 * A restaurant at the town centre, open all day, owned by a provider account, with a garba at
 * 1,500 F (sizes: +0 / +500) holding `stock` units (null: not counted) and a Petroci B6 (refill
 * 2,000 F, new 12,000 F, 20 full bottles).
 */
export const restaurant = (stock: number | null = 100) =>
  Effect.gen(function*() {
    const ids = yield* IdGenerator
    const owner = yield* (yield* makeCreateUser)({ phone: nextPhone(), fullName: "Maquis Chez Tanti", language: "fr", roles: ["client", "provider"], referredBy: null, passwordHash: null, createdAt: new Date(0) })
    const provider = yield* (yield* ProviderRepository).create({
      id: yield* ids.uuid,
      ownerId: owner.id,
      type: "restaurant",
      name: "Maquis Chez Tanti",
      description: "",
      location: townCentre,
      landmark: "face au marché",
      schedule: allDay as never,
      now: new Date(0)
    })
    const menus = yield* MenuRepository
    const garba = Option.getOrThrow(yield* menus.createProduct({
      id: yield* ids.uuid,
      providerId: provider.id,
      categoryId: null,
      name: "Garba",
      description: "attiéké, thon frit",
      priceXof: xof(1_500),
      available: true,
      stock,
      optionGroups: [sizes],
      now: new Date(0)
    }))
    const gas = yield* menus.createGasProduct({
      id: yield* ids.uuid,
      providerId: provider.id,
      brand: "Petroci",
      bottleSizeKg: 6,
      refillPriceXof: xof(2_000),
      newBottlePriceXof: xof(12_000),
      fullBottlesInStock: 20,
      available: true,
      now: new Date(0)
    })
    return { provider, owner: { userId: owner.id, roles: owner.roles }, garbaId: garba.id, gasId: gas.id }
  })
