import { randomBytes } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import sharp from "sharp"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { accountWithRoles, alwaysOpen, randomFarPoint } from "../../support/catalogueAccounts.ts"
import { answered, neloClient, problemOf } from "../../support/neloClient.ts"
import { startApi } from "../../support/startApi.ts"
import { xof } from "@nelo/domain/shared/Xof"

const env = { TRUSTED_PROXY_HOPS: "1" }
const closedRedis = "redis://127.0.0.1:1"

/** The call's declared success, with the status it must have; its decoded view. */
const ok = <A, E, R>(call: Effect.Effect<A, E, R>, status = 200) =>
  Effect.map(answered(call), (response) => {
    assert.strictEqual(response.status, status, JSON.stringify(response.body))
    return response.body
  })

const uniqueWord = () => `t${randomBytes(4).toString("hex")}`

const photoForm = (bytes: Uint8Array) => {
  const form = new FormData()
  form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/png" }), "garba.png")
  return form
}

layer(PostgresLayer, { excludeTestServices: true, timeout: "60 seconds" })("catalogue journeys over HTTP", (it) => {
  it.effect("an owner builds a menu; every kind of write shows on the very next read although menus are cached", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const owner = yield* accountWithRoles(api, ["client", "provider"])
      const as = neloClient(api.url, { token: owner.token }).catalogueManagement
      const anyone = neloClient(api.url)
      const provider = yield* ok(as.createProvider({ payload: { type: "restaurant", name: "Maquis Chez Tantie Akissi", location: randomFarPoint(), landmark: "face à la gare routière", hours: alwaysOpen } }), 201)
      assert.isTrue(provider.isOpen)
      const providerId = provider.id
      const menu = () => ok(anyone.providers.menu({ params: { providerId } }))

      const plats = yield* ok(as.addCategory({ params: { providerId }, payload: { name: "Plats" } }), 201)
      const boissons = yield* ok(as.addCategory({ params: { providerId }, payload: { name: "Boissons" } }), 201)
      const garba = yield* ok(as.addProduct({
        params: { providerId },
        payload: {
          categoryId: plats.id,
          name: "Garba",
          description: "Attiéké et thon frit",
          priceXof: xof(1_000),
          optionGroups: [
            { name: "Accompagnement", minChoices: 1, maxChoices: 1, options: [{ name: "Attiéké", priceDeltaXof: xof(0) }, { name: "Alloco", priceDeltaXof: xof(200) }] },
            { kind: "size", name: "Taille", minChoices: 1, maxChoices: 1, options: [{ name: "Normal", priceDeltaXof: xof(0) }, { name: "Grand", priceDeltaXof: xof(500) }] }
          ]
        }
      }), 201)
      assert.strictEqual(garba.optionGroups.length, 2)
      assert.strictEqual(garba.optionGroups[1]!.kind, "size")
      const bissap = yield* ok(as.addProduct({ params: { providerId }, payload: { categoryId: boissons.id, name: "Bissap", priceXof: xof(300), stock: 10 } }), 201)

      const first = yield* menu()
      assert.deepStrictEqual(first.categories.map((category) => category.name), ["Plats", "Boissons"])
      assert.deepStrictEqual(first.categories[0]!.products.map((product) => product.name), ["Garba"])
      assert.deepStrictEqual(yield* menu(), first, "the second read (from the cache) is the same menu")

      // Each write below is followed at once by a read that must already see it.
      yield* ok(as.renameCategory({ params: { providerId, categoryId: boissons.id }, payload: { name: "Boissons fraîches" } }))
      assert.strictEqual((yield* menu()).categories[1]!.name, "Boissons fraîches")

      yield* ok(as.reorderCategories({ params: { providerId }, payload: { categoryIds: [boissons.id, plats.id] } }))
      assert.deepStrictEqual((yield* menu()).categories.map((category) => category.id), [boissons.id, plats.id])

      yield* ok(as.updateProduct({ params: { providerId, productId: garba.id }, payload: { priceXof: xof(1_200) } }))
      assert.strictEqual((yield* menu()).categories[1]!.products[0]!.priceXof, 1_200)

      assert.deepStrictEqual((yield* ok(as.changeProductStock({ params: { providerId, productId: bissap.id }, payload: { adjustBy: -3 } }))), { stock: 7 })
      assert.strictEqual((yield* menu()).categories[0]!.products[0]!.stock, 7)
      assert.deepStrictEqual((yield* ok(as.changeProductStock({ params: { providerId, productId: bissap.id }, payload: { stock: 0 } }))), { stock: 0 })
      assert.isFalse((yield* menu()).categories[0]!.products[0]!.orderable, "out of stock is not orderable")

      const png = yield* Effect.promise(() => sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 240, g: 200, b: 80 } } }).png().toBuffer())
      const photo = yield* ok(as.changeProductPhoto({ params: { providerId, productId: garba.id }, payload: photoForm(png) }))
      assert.strictEqual((yield* menu()).categories[1]!.products[0]!.photoUrl, photo.photoUrl)
      const served = yield* Effect.promise(async () => {
        const response = await fetch(`${api.url}${new URL(photo.photoUrl).pathname}`)
        return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) }
      })
      assert.strictEqual(served.status, 200, "product photos are public files")
      const metadata = yield* Effect.promise(() => sharp(served.bytes).metadata())
      assert.strictEqual(metadata.format, "webp")
      assert.strictEqual(metadata.width, 1024)

      assert.strictEqual((yield* answered(as.removeCategory({ params: { providerId, categoryId: plats.id } }))).status, 204)
      const afterCategoryDeleted = yield* menu()
      assert.deepStrictEqual(afterCategoryDeleted.categories.map((category) => category.id), [boissons.id])
      assert.deepStrictEqual(afterCategoryDeleted.uncategorized.map((product) => product.id), [garba.id], "its products stay on the menu")

      assert.strictEqual((yield* answered(as.removeProduct({ params: { providerId, productId: garba.id } }))).status, 204)
      assert.deepStrictEqual((yield* menu()).uncategorized, [], "a deleted product is gone from the next read")

      yield* ok(as.updateProvider({ params: { providerId }, payload: { name: "Maquis Chez Tantie Akissi II" } }))
      assert.strictEqual((yield* menu()).provider.name, "Maquis Chez Tantie Akissi II")

      assert.isFalse((yield* ok(as.pause({ params: { providerId } }))).isOpen)
      assert.isFalse((yield* menu()).provider.isOpen)
      assert.isTrue((yield* ok(as.resume({ params: { providerId } }))).isOpen)
      assert.isTrue((yield* menu()).provider.isOpen)

      const closedToday = yield* ok(as.setSchedule({ params: { providerId }, payload: { weekly: [], exceptions: [] } }))
      assert.isFalse(closedToday.isOpen)
      assert.isNull(closedToday.nextOpenAt, "no hours at all: no next opening")
      assert.deepStrictEqual((yield* menu()).provider.schedule.weekly, [])
    })))

  it.effect("a gas depot lists its bottles by brand and size, with the deposit and the stock of full bottles", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const owner = yield* accountWithRoles(api, ["client", "provider"])
      const as = neloClient(api.url, { token: owner.token }).catalogueManagement
      const anyone = neloClient(api.url)
      const depot = yield* ok(as.createProvider({ payload: { type: "gas_depot", name: "Dépôt de gaz Ahouan", location: randomFarPoint(), hours: alwaysOpen } }), 201)
      const providerId = depot.id
      const menuOf = () => ok(anyone.providers.menu({ params: { providerId } }))
      const b12 = yield* ok(as.addGasProduct({ params: { providerId }, payload: { brand: "Total", bottleSizeKg: 12.5, refillPriceXof: xof(5_200), newBottlePriceXof: xof(17_000), fullBottlesInStock: 4 } }), 201)
      yield* ok(as.addGasProduct({ params: { providerId }, payload: { brand: "Total", bottleSizeKg: 6, refillPriceXof: xof(2_000), newBottlePriceXof: xof(7_500), fullBottlesInStock: 12 } }), 201)
      yield* ok(as.addGasProduct({ params: { providerId }, payload: { brand: "Oryx", bottleSizeKg: 6, refillPriceXof: xof(2_000), newBottlePriceXof: xof(7_000) } }), 201)
      const menu = yield* menuOf()
      assert.deepStrictEqual(menu.gasBrands.map((brand) => [brand.brand, brand.bottles.map((bottle) => bottle.bottleSizeKg)]), [["Oryx", [6]], ["Total", [6, 12.5]]])
      const total12 = menu.gasBrands[1]!.bottles[1]!
      assert.strictEqual(total12.depositXof, 17_000 - 5_200)
      assert.strictEqual(total12.fullBottlesInStock, 4)

      assert.deepStrictEqual((yield* ok(as.changeGasStock({ params: { providerId, gasProductId: b12.id }, payload: { adjustBy: -4 } }))), { fullBottlesInStock: 0 })
      const empty = (yield* menuOf()).gasBrands[1]!.bottles[1]!
      assert.isFalse(empty.orderable)
      yield* ok(as.updateGasProduct({ params: { providerId, gasProductId: b12.id }, payload: { refillPriceXof: xof(5_500), newBottlePriceXof: xof(17_300) } }))
      assert.strictEqual((yield* menuOf()).gasBrands[1]!.bottles[1]!.refillPriceXof, 5_500)
      assert.strictEqual((yield* answered(as.removeGasProduct({ params: { providerId, gasProductId: b12.id } }))).status, 204)
      assert.strictEqual((yield* menuOf()).gasBrands[1]!.bottles.length, 1)
    })))

  it.effect("nearby: nearest first with distances; a paused provider leaves the open-now results at once", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const owner = yield* accountWithRoles(api, ["client", "provider"])
      const as = neloClient(api.url, { token: owner.token }).catalogueManagement
      const anyone = neloClient(api.url)
      const centre = randomFarPoint()
      const offsets = [0.002, 0.006, 0.011]
      const created = []
      for (const offset of offsets) {
        created.push(yield* ok(as.createProvider({
          payload: { type: "grocery", name: `Boutique ${offset}`, location: { lat: centre.lat + offset, lng: centre.lng }, hours: alwaysOpen }
        }), 201))
      }
      const nearby = (openNow?: true) =>
        ok(anyone.providers.nearby({ query: { lat: centre.lat, lng: centre.lng, radiusM: 2000, ...(openNow === undefined ? {} : { openNow }) } }))
      const all = yield* nearby()
      assert.deepStrictEqual(all.items.map((item) => item.id), created.map((provider) => provider.id))
      // 0.002° of latitude ≈ 222 m.
      assert.approximately(all.items[0]!.distanceM, 222, 3)
      assert.isTrue(all.items.every((item) => item.isOpen))
      assert.deepStrictEqual(yield* nearby(true), all, "cached or not, the same page")

      yield* ok(as.pause({ params: { providerId: created[1]!.id } }))
      const open = yield* nearby(true)
      assert.deepStrictEqual(open.items.map((item) => item.id), [created[0]!.id, created[2]!.id], "paused: gone from open-now at once")
      const any = yield* nearby()
      assert.isFalse(any.items[1]!.isOpen, "still listed without the filter, shown closed")
      assert.isNull(any.items[1]!.nextOpenAt, "paused: no next opening until resumed")
    })))

  it.effect("list: accent-insensitive name search, and pages that give every provider exactly once", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const admin = yield* accountWithRoles(api, ["client", "admin"])
      const as = neloClient(api.url, { token: admin.token }).catalogueManagement
      const anyone = neloClient(api.url)
      const word = uniqueWord()
      const names = ["Café", "Épicerie", "Maquis", "Alloco", "Garbadrome", "Dépôt", "Superette"].map((name) => `${name} ${word} Élan`)
      for (const name of names) {
        yield* ok(as.createProvider({ payload: { type: "grocery", name, location: randomFarPoint() } }), 201)
      }
      const found = yield* ok(anyone.providers.list({ query: { q: `cafe ${word} elan` } }))
      assert.deepStrictEqual(found.items.map((item) => item.name), [`Café ${word} Élan`])

      const seen: Array<string> = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page: { readonly items: ReadonlyArray<{ readonly name: string }>; readonly nextCursor: string | null } =
          yield* ok(anyone.providers.list({ query: { q: word, limit: 3, ...(cursor === null ? {} : { cursor }) } }))
        seen.push(...page.items.map((item) => item.name))
        cursor = page.nextCursor
        pages++
      } while (cursor !== null && pages < 10)
      assert.deepStrictEqual(seen, [...names].sort((a, b) => a.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase() < b.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase() ? -1 : 1))
      assert.strictEqual(pages, 3)
    })))

  it.effect("an owner lists their own providers, and only theirs", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const owner = yield* accountWithRoles(api, ["client", "provider"])
      const neighbour = yield* accountWithRoles(api, ["client", "provider"])
      const asOwner = neloClient(api.url, { token: owner.token }).catalogueManagement
      for (const name of ["Maquis du Carrefour", "Dépôt de gaz du Marché"]) {
        yield* ok(asOwner.createProvider({ payload: { type: "restaurant", name, location: randomFarPoint() } }), 201)
      }
      yield* ok(neloClient(api.url, { token: neighbour.token }).catalogueManagement.createProvider({ payload: { type: "grocery", name: "Boutique Moussa", location: randomFarPoint() } }), 201)
      const mine = yield* ok(asOwner.myProviders({ query: {} }))
      assert.deepStrictEqual(mine.items.map((item) => item.name), ["Dépôt de gaz du Marché", "Maquis du Carrefour"])
      assert.strictEqual((yield* problemOf(neloClient(api.url).catalogueManagement.myProviders({ query: {} }))).status, 401)
    })))

  it.effect("with Redis down the catalogue still answers from Postgres", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const owner = yield* accountWithRoles(api, ["client", "provider"])
      const as = neloClient(api.url, { token: owner.token }).catalogueManagement
      const location = randomFarPoint()
      const provider = yield* ok(as.createProvider({ payload: { type: "restaurant", name: "Restaurant Le Baobab", location, hours: alwaysOpen } }), 201)
      yield* ok(as.addProduct({ params: { providerId: provider.id }, payload: { name: "Kedjenou", priceXof: xof(2_500) } }), 201)

      const withoutRedis = neloClient((yield* startApi({ ...env, REDIS_URL: closedRedis })).url)
      const menu = yield* ok(withoutRedis.providers.menu({ params: { providerId: provider.id } }))
      assert.deepStrictEqual(menu.uncategorized.map((product) => product.name), ["Kedjenou"])
      const nearby = yield* ok(withoutRedis.providers.nearby({ query: { lat: location.lat, lng: location.lng, radiusM: 100 } }))
      assert.deepStrictEqual(nearby.items.map((item) => item.id), [provider.id])
      yield* ok(withoutRedis.providers.get({ params: { providerId: provider.id } }))
    })))
})
