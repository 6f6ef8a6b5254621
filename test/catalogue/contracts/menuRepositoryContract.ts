import { categoryOrder } from "@nelo/domain/catalogue/categoryOrder"
import { applyStockChange } from "@nelo/domain/catalogue/stockChange"
import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { type GasProductFields, MenuRepository, type ProductFields, type StockOutcome } from "@nelo/domain/catalogue/MenuRepository"
import type { OptionGroup } from "@nelo/domain/catalogue/Product"
import type { ProviderType } from "@nelo/domain/catalogue/Provider"
import { ProviderRepository } from "@nelo/domain/catalogue/ProviderRepository"
import type { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { makeNewUser } from "../../users/contracts/userRepositoryContract.ts"
import { xof } from "@nelo/domain/shared/Xof"

const newId = () => uuidV7(Date.now())

/** A provider of its own (the Postgres store's foreign keys want one, and an owner). */
export const newProvider = (type: ProviderType = "restaurant") =>
  Effect.gen(function*() {
    const owner = yield* (yield* UserRepository).create(makeNewUser({ roles: ["client", "provider"] }))
    const provider = yield* (yield* ProviderRepository).create({
      id: newId(),
      ownerId: owner.id,
      type,
      name: "Maquis Chez Tantie",
      description: "",
      location: { lat: 5.89, lng: -4.833 },
      landmark: "",
      schedule: { timeZone: "Africa/Abidjan", weekly: [], exceptions: [], paused: false },
      now: new Date()
    })
    return provider.id
  })

const sides: OptionGroup = {
  id: newId(),
  kind: "choice",
  name: "Accompagnement",
  minChoices: 1,
  maxChoices: 1,
  options: [
    { id: newId(), name: "Attiéké", priceDeltaXof: 0 as OptionGroup["options"][number]["priceDeltaXof"] },
    { id: newId(), name: "Alloco", priceDeltaXof: 200 as OptionGroup["options"][number]["priceDeltaXof"] }
  ]
}

const productFields = (overrides: Partial<ProductFields> = {}): ProductFields => ({
  categoryId: null,
  name: "Poulet braisé",
  description: "Demi-poulet, piment à part",
  priceXof: xof(3_500),
  available: true,
  stock: null,
  optionGroups: [],
  ...overrides
})

const gasFields = (overrides: Partial<GasProductFields> = {}): GasProductFields => ({
  brand: "Petroci",
  bottleSizeKg: 12.5,
  refillPriceXof: xof(5_200),
  newBottlePriceXof: xof(25_000),
  fullBottlesInStock: 10,
  available: true,
  ...overrides
})

const addCategory = (providerId: string, name: string) =>
  Effect.gen(function*() {
    return yield* (yield* MenuRepository).createCategory({ id: newId(), providerId, name, now: new Date() })
  })

const addProduct = (providerId: string, overrides: Partial<ProductFields> = {}) =>
  Effect.gen(function*() {
    const created = yield* (yield* MenuRepository).createProduct({ ...productFields(overrides), id: newId(), providerId, now: new Date() })
    return Option.getOrThrow(created)
  })

const addGas = (providerId: string, overrides: Partial<GasProductFields> = {}) =>
  Effect.gen(function*() {
    return yield* (yield* MenuRepository).createGasProduct({ ...gasFields(overrides), id: newId(), providerId, now: new Date() })
  })

const malformed = ["not-a-uuid", "", "'; DROP TABLE catalogue.products; --"]

/** One suite, run against every MenuRepository adapter. */
export const menuRepositoryContract = (
  name: string,
  repositoryLayer: Layer.Layer<MenuRepository | ProviderRepository | UserRepository | ZoneRepository | Transactional, unknown>
) =>
  layer(repositoryLayer, { excludeTestServices: true })(`MenuRepository contract: ${name}`, (it) => {
    it.effect("categories are appended in order, renamed, and only their own provider's", () =>
      Effect.gen(function*() {
        const menus = yield* MenuRepository
        const provider = yield* newProvider()
        const other = yield* newProvider()
        assert.deepStrictEqual(yield* menus.menu(provider), { categories: [], products: [], gasProducts: [] })
        const plats = yield* addCategory(provider, "Plats")
        const boissons = yield* addCategory(provider, "Boissons")
        const desserts = yield* addCategory(provider, "Desserts")
        const elsewhere = yield* addCategory(other, "Ailleurs")
        assert.deepStrictEqual(plats, { id: plats.id, providerId: provider, name: "Plats", position: 0 })
        assert.deepStrictEqual([boissons.position, desserts.position, elsewhere.position], [1, 2, 0])

        const renamed = yield* menus.renameCategory(provider, boissons.id, "Boissons fraîches", new Date())
        assert.deepStrictEqual(renamed, Option.some({ ...boissons, name: "Boissons fraîches" }))
        assert.isTrue(Option.isNone(yield* menus.renameCategory(other, plats.id, "Volé", new Date())))
        assert.isTrue(Option.isNone(yield* menus.renameCategory(provider, newId(), "Inconnu", new Date())))
        for (const id of malformed) assert.isTrue(Option.isNone(yield* menus.renameCategory(provider, id, "Mal formé", new Date())))
        assert.deepStrictEqual((yield* menus.menu(provider)).categories, [plats, { ...boissons, name: "Boissons fraîches" }, desserts])
        assert.deepStrictEqual((yield* menus.menu(other)).categories, [elsewhere])
        for (const id of malformed) assert.deepStrictEqual(yield* menus.menu(id), { categories: [], products: [], gasProducts: [] })
      }))

    it.effect("reorder takes exactly the provider's categories; any other list changes nothing", () =>
      Effect.gen(function*() {
        const menus = yield* MenuRepository
        const provider = yield* newProvider()
        const other = yield* newProvider()
        const [a, b, c] = [yield* addCategory(provider, "A"), yield* addCategory(provider, "B"), yield* addCategory(provider, "C")]
        const foreign = yield* addCategory(other, "D")
        const before = (yield* menus.menu(provider)).categories
        const mismatches = [
          [],
          [a.id, b.id],
          [a.id, b.id, c.id, foreign.id],
          [a.id, b.id, foreign.id],
          [a.id, b.id, b.id],
          [a.id, b.id, c.id, c.id],
          [a.id, b.id, newId()],
          [a.id, b.id, "not-a-uuid"]
        ]
        for (const orderedIds of mismatches) {
          assert.isFalse(yield* menus.reorderCategories(provider, categoryOrder(orderedIds)), JSON.stringify(orderedIds))
          assert.deepStrictEqual((yield* menus.menu(provider)).categories, before)
        }
        assert.isFalse(yield* menus.reorderCategories(other, categoryOrder([a.id, b.id, c.id])))
        assert.deepStrictEqual((yield* menus.menu(other)).categories, [foreign])

        assert.isTrue(yield* menus.reorderCategories(provider, categoryOrder([c.id, a.id, b.id])))
        assert.deepStrictEqual((yield* menus.menu(provider)).categories, [{ ...c, position: 0 }, { ...a, position: 1 }, { ...b, position: 2 }])
        // Appending continues after the last position.
        const d = yield* addCategory(provider, "D")
        assert.strictEqual(d.position, 3)
        // A provider without categories reorders nothing, successfully.
        const empty = yield* newProvider()
        assert.isTrue(yield* menus.reorderCategories(empty, categoryOrder([])))
      }))

    it.effect("products: appended per category, found only under their provider, ordered by category then position", () =>
      Effect.gen(function*() {
        const menus = yield* MenuRepository
        const provider = yield* newProvider()
        const other = yield* newProvider()
        const plats = yield* addCategory(provider, "Plats")
        const boissons = yield* addCategory(provider, "Boissons")
        const foreign = yield* addCategory(other, "Ailleurs")

        const poulet = yield* addProduct(provider, { categoryId: plats.id, optionGroups: [sides], stock: 12 })
        assert.deepStrictEqual(poulet, {
          id: poulet.id,
          providerId: provider,
          categoryId: plats.id,
          name: "Poulet braisé",
          description: "Demi-poulet, piment à part",
          priceXof: 3_500 as typeof poulet.priceXof,
          available: true,
          stock: 12,
          optionGroups: [sides],
          photoKey: null,
          position: 0
        })
        const poisson = yield* addProduct(provider, { categoryId: plats.id, name: "Poisson braisé" })
        const bissap = yield* addProduct(provider, { categoryId: boissons.id, name: "Bissap", priceXof: xof(500) })
        const loose = yield* addProduct(provider, { name: "Sachet d'eau", priceXof: xof(50) })
        const loose2 = yield* addProduct(provider, { name: "Cure-dents", priceXof: xof(25) })
        assert.deepStrictEqual([poisson.position, bissap.position, loose.position, loose2.position], [1, 0, 0, 1])

        // A category of another provider, unknown or malformed: not found, nothing created.
        for (const categoryId of [foreign.id, newId(), "not-a-uuid"]) {
          const refused = yield* menus.createProduct({ ...productFields({ categoryId }), id: newId(), providerId: provider, now: new Date() })
          assert.isTrue(Option.isNone(refused), categoryId)
        }
        assert.deepStrictEqual(yield* menus.findProduct(provider, poulet.id), Option.some(poulet))
        assert.isTrue(Option.isNone(yield* menus.findProduct(other, poulet.id)))
        assert.isTrue(Option.isNone(yield* menus.findProduct(provider, newId())))
        for (const id of malformed) assert.isTrue(Option.isNone(yield* menus.findProduct(provider, id)))

        // Categories reordered: products follow their category; uncategorized ones come last.
        yield* menus.reorderCategories(provider, categoryOrder([boissons.id, plats.id]))
        const menu = yield* menus.menu(provider)
        assert.deepStrictEqual(menu.products.map((product) => product.id), [bissap.id, poulet.id, poisson.id, loose.id, loose2.id])
        assert.deepStrictEqual(menu.products[1], poulet)
        assert.deepStrictEqual((yield* menus.menu(other)).products, [])
      }))

    it.effect("updateProduct changes the fields given; a category not the provider's is not found and changes nothing", () =>
      Effect.gen(function*() {
        const menus = yield* MenuRepository
        const provider = yield* newProvider()
        const other = yield* newProvider()
        const plats = yield* addCategory(provider, "Plats")
        const boissons = yield* addCategory(provider, "Boissons")
        const foreign = yield* addCategory(other, "Ailleurs")
        const poulet = yield* addProduct(provider, { categoryId: plats.id })
        const bissap = yield* addProduct(provider, { categoryId: boissons.id, name: "Bissap" })

        const updated = yield* menus.updateProduct(provider, poulet.id, {
          name: "Poulet braisé entier",
          description: "",
          priceXof: xof(6_000),
          available: false,
          stock: 4,
          optionGroups: [sides],
          now: new Date()
        })
        const expected = { ...poulet, name: "Poulet braisé entier", description: "", priceXof: 6_000 as typeof poulet.priceXof, available: false, stock: 4, optionGroups: [sides] }
        assert.deepStrictEqual(updated, Option.some(expected))
        // Only what is given changes (stock back to not counted with an explicit null).
        assert.deepStrictEqual(yield* menus.updateProduct(provider, poulet.id, { stock: null, now: new Date() }), Option.some({ ...expected, stock: null }))

        for (const categoryId of [foreign.id, newId(), "not-a-uuid"]) {
          assert.isTrue(Option.isNone(yield* menus.updateProduct(provider, poulet.id, { categoryId, name: "Volé", now: new Date() })), categoryId)
        }
        assert.isTrue(Option.isNone(yield* menus.updateProduct(other, poulet.id, { name: "Volé", now: new Date() })))
        assert.isTrue(Option.isNone(yield* menus.updateProduct(provider, newId(), { name: "Inconnu", now: new Date() })))
        for (const id of malformed) assert.isTrue(Option.isNone(yield* menus.updateProduct(provider, id, { name: "Mal formé", now: new Date() })))
        assert.deepStrictEqual(yield* menus.findProduct(provider, poulet.id), Option.some({ ...expected, stock: null }))

        // Moved to another category without a position: appended there; with one: that position.
        const moved = Option.getOrThrow(yield* menus.updateProduct(provider, poulet.id, { categoryId: boissons.id, now: new Date() }))
        assert.deepStrictEqual([moved.categoryId, moved.position], [boissons.id, bissap.position + 1])
        const placed = Option.getOrThrow(yield* menus.updateProduct(provider, poulet.id, { position: 0, now: new Date() }))
        assert.deepStrictEqual([placed.categoryId, placed.position], [boissons.id, 0])
        const loose = Option.getOrThrow(yield* menus.updateProduct(provider, poulet.id, { categoryId: null, now: new Date() }))
        assert.deepStrictEqual([loose.categoryId, loose.position], [null, 0])
      }))

    it.effect("deleting a category leaves its products on the menu, uncategorized, after the others", () =>
      Effect.gen(function*() {
        const menus = yield* MenuRepository
        const provider = yield* newProvider()
        const other = yield* newProvider()
        const plats = yield* addCategory(provider, "Plats")
        const boissons = yield* addCategory(provider, "Boissons")
        const poulet = yield* addProduct(provider, { categoryId: plats.id })
        const poisson = yield* addProduct(provider, { categoryId: plats.id, name: "Poisson" })
        const bissap = yield* addProduct(provider, { categoryId: boissons.id, name: "Bissap" })
        const eau = yield* addProduct(provider, { name: "Eau" })

        assert.isFalse(yield* menus.deleteCategory(other, plats.id))
        for (const id of malformed) assert.isFalse(yield* menus.deleteCategory(provider, id))
        assert.isTrue(yield* menus.deleteCategory(provider, plats.id))
        assert.isFalse(yield* menus.deleteCategory(provider, plats.id))
        const menu = yield* menus.menu(provider)
        assert.deepStrictEqual(menu.categories.map((category) => category.id), [boissons.id])
        assert.deepStrictEqual(menu.products.map((product) => [product.id, product.categoryId]), [
          [bissap.id, boissons.id],
          [eau.id, null],
          [poulet.id, null],
          [poisson.id, null]
        ])
        assert.deepStrictEqual(Option.getOrThrow(yield* menus.findProduct(provider, poulet.id)), { ...poulet, categoryId: null, position: 1 })
        // A new uncategorized product goes after them.
        assert.strictEqual((yield* addProduct(provider, { name: "Serviettes" })).position, 3)
      }))

    it.effect("deleteProduct returns what it deleted; setProductPhoto returns the previous key", () =>
      Effect.gen(function*() {
        const menus = yield* MenuRepository
        const provider = yield* newProvider()
        const other = yield* newProvider()
        const poulet = yield* addProduct(provider)

        assert.deepStrictEqual(yield* menus.setProductPhoto(provider, poulet.id, "products/a.webp", new Date()), Option.some(null))
        assert.deepStrictEqual(yield* menus.setProductPhoto(provider, poulet.id, "products/b.webp", new Date()), Option.some("products/a.webp"))
        assert.isTrue(Option.isNone(yield* menus.setProductPhoto(other, poulet.id, "products/stolen.webp", new Date())))
        for (const id of malformed) assert.isTrue(Option.isNone(yield* menus.setProductPhoto(provider, id, "products/x.webp", new Date())))
        const withPhoto = { ...poulet, photoKey: "products/b.webp" }
        assert.deepStrictEqual(yield* menus.findProduct(provider, poulet.id), Option.some(withPhoto))
        assert.deepStrictEqual(yield* menus.setProductPhoto(provider, poulet.id, null, new Date()), Option.some("products/b.webp"))
        yield* menus.setProductPhoto(provider, poulet.id, "products/c.webp", new Date())

        assert.isTrue(Option.isNone(yield* menus.deleteProduct(other, poulet.id)))
        for (const id of malformed) assert.isTrue(Option.isNone(yield* menus.deleteProduct(provider, id)))
        assert.deepStrictEqual(yield* menus.deleteProduct(provider, poulet.id), Option.some({ ...poulet, photoKey: "products/c.webp" }))
        assert.isTrue(Option.isNone(yield* menus.deleteProduct(provider, poulet.id)))
        assert.isTrue(Option.isNone(yield* menus.findProduct(provider, poulet.id)))
        assert.deepStrictEqual((yield* menus.menu(provider)).products, [])
      }))

    it.effect("product stock: set, adjusted, never below zero, not counted when null", () =>
      Effect.gen(function*() {
        const menus = yield* MenuRepository
        const provider = yield* newProvider()
        const other = yield* newProvider()
        const product = yield* addProduct(provider, { stock: 3 })
        const change = (by: number) => menus.changeProductStock(provider, product.id, applyStockChange({ _tag: "Adjust", by }), new Date())
        assert.deepStrictEqual(yield* change(-2), Option.some<StockOutcome>({ _tag: "Changed", stock: 1 }))
        assert.deepStrictEqual(yield* change(-2), Option.some<StockOutcome>({ _tag: "BelowZero", stock: 1 }))
        assert.deepStrictEqual(yield* change(-1), Option.some<StockOutcome>({ _tag: "Changed", stock: 0 }))
        assert.deepStrictEqual(yield* change(5), Option.some<StockOutcome>({ _tag: "Changed", stock: 5 }))
        assert.deepStrictEqual(yield* change(0), Option.some<StockOutcome>({ _tag: "Changed", stock: 5 }))
        // Never past the maximum either, however big the adjustment (no integer overflow).
        assert.deepStrictEqual(yield* change(1_000_000), Option.some<StockOutcome>({ _tag: "AboveMaximum", stock: 5 }))
        assert.deepStrictEqual(yield* change(2_147_483_647), Option.some<StockOutcome>({ _tag: "AboveMaximum", stock: 5 }))
        assert.deepStrictEqual(yield* change(999_995), Option.some<StockOutcome>({ _tag: "Changed", stock: 1_000_000 }))
        assert.deepStrictEqual(yield* change(-999_995), Option.some<StockOutcome>({ _tag: "Changed", stock: 5 }))
        const set = (stock: number | null) => menus.changeProductStock(provider, product.id, applyStockChange({ _tag: "Set", stock }), new Date())
        assert.deepStrictEqual(yield* set(40), Option.some<StockOutcome>({ _tag: "Changed", stock: 40 }))
        assert.deepStrictEqual(yield* set(0), Option.some<StockOutcome>({ _tag: "Changed", stock: 0 }))
        assert.deepStrictEqual(yield* set(null), Option.some<StockOutcome>({ _tag: "Changed", stock: null }))
        assert.deepStrictEqual(yield* change(1), Option.some<StockOutcome>({ _tag: "NotCounted" }))
        assert.deepStrictEqual(yield* change(-1), Option.some<StockOutcome>({ _tag: "NotCounted" }))
        assert.strictEqual(Option.getOrThrow(yield* menus.findProduct(provider, product.id)).stock, null)
        assert.deepStrictEqual(yield* set(7), Option.some<StockOutcome>({ _tag: "Changed", stock: 7 }))
        assert.strictEqual(Option.getOrThrow(yield* menus.findProduct(provider, product.id)).stock, 7)

        assert.isTrue(Option.isNone(yield* menus.changeProductStock(other, product.id, applyStockChange({ _tag: "Adjust", by: -1 }), new Date())))
        assert.isTrue(Option.isNone(yield* menus.changeProductStock(other, product.id, applyStockChange({ _tag: "Set", stock: 0 }), new Date())))
        for (const id of malformed) assert.isTrue(Option.isNone(yield* menus.changeProductStock(provider, id, applyStockChange({ _tag: "Adjust", by: 1 }), new Date())))
        assert.strictEqual(Option.getOrThrow(yield* menus.findProduct(provider, product.id)).stock, 7)
      }))

    it.effect("concurrent stock adjustments never lose one: 50 × −1 on 30 leaves 0 after exactly 30; gas bottles too", () =>
      Effect.gen(function*() {
        const menus = yield* MenuRepository
        const provider = yield* newProvider("gas_depot")
        const product = yield* addProduct(provider, { stock: 30 })
        const bottles = yield* addGas(provider, { fullBottlesInStock: 30 })
        const outcomes = yield* Effect.all(
          [
            ...Array.from({ length: 50 }, () => menus.changeProductStock(provider, product.id, applyStockChange({ _tag: "Adjust", by: -1 }), new Date())),
            ...Array.from({ length: 50 }, () => menus.changeGasStock(provider, bottles.id, applyStockChange({ _tag: "Adjust", by: -1 }), new Date()))
          ],
          { concurrency: "unbounded" }
        )
        for (const [label, slice] of [["product", outcomes.slice(0, 50)], ["gas", outcomes.slice(50)]] as const) {
          const changed = slice.map(Option.getOrThrow).filter((outcome) => outcome._tag === "Changed")
          const refused = slice.map(Option.getOrThrow).filter((outcome) => outcome._tag === "BelowZero")
          assert.strictEqual(changed.length, 30, label)
          assert.deepStrictEqual(new Set(changed.map((outcome) => outcome.stock)), new Set(Array.from({ length: 30 }, (_, index) => index)), label)
          assert.deepStrictEqual(refused, Array.from({ length: 20 }, () => ({ _tag: "BelowZero" as const, stock: 0 })), label)
        }
        assert.strictEqual(Option.getOrThrow(yield* menus.findProduct(provider, product.id)).stock, 0)
        assert.strictEqual((yield* menus.menu(provider)).gasProducts[0]?.fullBottlesInStock, 0)

        // Increments and decrements racing add up exactly.
        yield* menus.changeProductStock(provider, product.id, applyStockChange({ _tag: "Set", stock: 100 }), new Date())
        yield* Effect.all(
          Array.from({ length: 40 }, (_, index) => menus.changeProductStock(provider, product.id, applyStockChange({ _tag: "Adjust", by: index % 2 === 0 ? 3 : -2 }), new Date())),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(Option.getOrThrow(yield* menus.findProduct(provider, product.id)).stock, 120)
      }))

    it.effect("stock changed inside a failed Transactional run is put back (an order refused after its reservation); a nested failure undoes its own", () =>
      Effect.gen(function*() {
        const menus = yield* MenuRepository
        const transactional = yield* Transactional
        const provider = yield* newProvider("gas_depot")
        const product = yield* addProduct(provider, { stock: 10 })
        const bottles = yield* addGas(provider, { fullBottlesInStock: 10 })
        const take = (by: number) =>
          Effect.all([
            menus.changeProductStock(provider, product.id, applyStockChange({ _tag: "Adjust", by: -by }), new Date()),
            menus.changeGasStock(provider, bottles.id, applyStockChange({ _tag: "Adjust", by: -by }), new Date())
          ])
        const stocks = Effect.gen(function*() {
          return [Option.getOrThrow(yield* menus.findProduct(provider, product.id)).stock, (yield* menus.menu(provider)).gasProducts[0]?.fullBottlesInStock]
        })

        assert.strictEqual(yield* Effect.flip(transactional.run(Effect.andThen(take(3), Effect.fail("refused" as const)))), "refused")
        assert.deepStrictEqual(yield* stocks, [10, 10])
        // No longer counted, then refused: counted again, as it was.
        yield* Effect.flip(transactional.run(Effect.andThen(menus.changeProductStock(provider, product.id, applyStockChange({ _tag: "Set", stock: null }), new Date()), Effect.fail("refused" as const))))
        assert.deepStrictEqual(yield* stocks, [10, 10])

        yield* transactional.run(Effect.gen(function*() {
          yield* take(1)
          yield* Effect.flip(transactional.run(Effect.andThen(take(2), Effect.fail("refused" as const))))
        }))
        assert.deepStrictEqual(yield* stocks, [9, 9])
      }))

    it.effect("gas products: one line per brand and bottle size at a depot; stock like products", () =>
      Effect.gen(function*() {
        const menus = yield* MenuRepository
        const depot = yield* newProvider("gas_depot")
        const other = yield* newProvider("gas_depot")
        const b12 = yield* addGas(depot)
        assert.deepStrictEqual(b12, {
          id: b12.id,
          providerId: depot,
          brand: "Petroci",
          bottleSizeKg: 12.5,
          refillPriceXof: 5_200 as typeof b12.refillPriceXof,
          newBottlePriceXof: 25_000 as typeof b12.newBottlePriceXof,
          fullBottlesInStock: 10,
          available: true
        })
        const b6 = yield* addGas(depot, { bottleSizeKg: 6, refillPriceXof: xof(2_000), fullBottlesInStock: null })
        const oryx = yield* addGas(depot, { brand: "Oryx", bottleSizeKg: 12.5 })
        const elsewhere = yield* addGas(other)
        assert.strictEqual(elsewhere.bottleSizeKg, 12.5)

        const duplicate = yield* Effect.flip(addGas(depot, { refillPriceXof: xof(1) }))
        assert.strictEqual(duplicate._tag, "GasProductDuplicate")
        const clash = yield* Effect.flip(menus.updateGasProduct(depot, b6.id, { bottleSizeKg: 12.5, now: new Date() }))
        assert.strictEqual(clash._tag, "GasProductDuplicate")

        const updated = yield* menus.updateGasProduct(depot, b6.id, { bottleSizeKg: 28, newBottlePriceXof: xof(60_000), available: false, fullBottlesInStock: 2, now: new Date() })
        const b28 = { ...b6, bottleSizeKg: 28 as const, newBottlePriceXof: 60_000 as typeof b6.newBottlePriceXof, available: false, fullBottlesInStock: 2 }
        assert.deepStrictEqual(updated, Option.some(b28))
        // Updating a line onto its own brand and size is no duplicate.
        assert.deepStrictEqual(yield* menus.updateGasProduct(depot, oryx.id, { brand: "Oryx", bottleSizeKg: 12.5, now: new Date() }), Option.some(oryx))
        assert.isTrue(Option.isNone(yield* menus.updateGasProduct(other, b12.id, { refillPriceXof: xof(1), now: new Date() })))
        for (const id of malformed) assert.isTrue(Option.isNone(yield* menus.updateGasProduct(depot, id, { refillPriceXof: xof(1), now: new Date() })))

        const menu = yield* menus.menu(depot)
        // By brand (byte order), then size.
        assert.deepStrictEqual(menu.gasProducts, [oryx, b12, b28])

        const change = (id: string, by: number) => menus.changeGasStock(depot, id, applyStockChange({ _tag: "Adjust", by }), new Date())
        assert.deepStrictEqual(yield* change(b12.id, -11), Option.some<StockOutcome>({ _tag: "BelowZero", stock: 10 }))
        assert.deepStrictEqual(yield* change(b12.id, -10), Option.some<StockOutcome>({ _tag: "Changed", stock: 0 }))
        assert.deepStrictEqual(yield* menus.changeGasStock(depot, b12.id, applyStockChange({ _tag: "Set", stock: null }), new Date()), Option.some<StockOutcome>({ _tag: "Changed", stock: null }))
        assert.deepStrictEqual(yield* change(b12.id, 1), Option.some<StockOutcome>({ _tag: "NotCounted" }))
        assert.isTrue(Option.isNone(yield* menus.changeGasStock(other, b12.id, applyStockChange({ _tag: "Adjust", by: 1 }), new Date())))
        for (const id of malformed) assert.isTrue(Option.isNone(yield* change(id, 1)))

        assert.isFalse(yield* menus.deleteGasProduct(other, b12.id))
        for (const id of malformed) assert.isFalse(yield* menus.deleteGasProduct(depot, id))
        assert.isTrue(yield* menus.deleteGasProduct(depot, b12.id))
        assert.isFalse(yield* menus.deleteGasProduct(depot, b12.id))
        // The line can be listed again once deleted.
        const again = yield* addGas(depot)
        assert.deepStrictEqual((yield* menus.menu(depot)).gasProducts.map((gas) => gas.id), [oryx.id, again.id, b28.id])
        assert.deepStrictEqual((yield* menus.menu(other)).gasProducts, [elsewhere])
      }))
  })
