import { randomBytes } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import sharp from "sharp"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { type ApiResponse, call } from "../support/apiClient.ts"
import { accountWithRoles, alwaysOpen, randomFarPoint } from "../support/catalogueAccounts.ts"
import { startApi } from "../support/startApi.ts"

const env = { TRUSTED_PROXY_HOPS: "1" }
const closedRedis = "redis://127.0.0.1:1"

const ok = (response: ApiResponse, status = 200) => {
  assert.strictEqual(response.status, status, JSON.stringify(response.body))
  return response.body
}

const uniqueWord = () => `t${randomBytes(4).toString("hex")}`

const uploadPhoto = (url: string, token: string, bytes: Uint8Array) =>
  Effect.promise(async () => {
    const form = new FormData()
    form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/png" }), "garba.png")
    const response = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form })
    return { status: response.status, headers: response.headers, body: await response.json() } as ApiResponse
  })

layer(PostgresLayer, { excludeTestServices: true, timeout: "60 seconds" })("catalogue journeys over HTTP", (it) => {
  it.effect("an owner builds a menu; every kind of write shows on the very next read although menus are cached", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const owner = yield* accountWithRoles(api, ["client", "provider"])
      const as = (method: string, path: string, body?: unknown) => call(api.url, method, path, { token: owner.token, ...(body === undefined ? {} : { body }) })
      const provider = ok(yield* as("POST", "/api/v1/providers", { type: "restaurant", name: "Maquis Chez Tantie Akissi", location: randomFarPoint(), landmark: "face à la gare routière", hours: alwaysOpen }), 201)
      assert.isTrue(provider.isOpen)
      const base = `/api/v1/providers/${provider.id}`
      const menu = () => Effect.map(call(api.url, "GET", `${base}/menu`), (response) => ok(response))

      const plats = ok(yield* as("POST", `${base}/categories`, { name: "Plats" }), 201)
      const boissons = ok(yield* as("POST", `${base}/categories`, { name: "Boissons" }), 201)
      const garba = ok(yield* as("POST", `${base}/products`, {
        categoryId: plats.id,
        name: "Garba",
        description: "Attiéké et thon frit",
        priceXof: 1_000,
        optionGroups: [
          { name: "Accompagnement", minChoices: 1, maxChoices: 1, options: [{ name: "Attiéké", priceDeltaXof: 0 }, { name: "Alloco", priceDeltaXof: 200 }] },
          { kind: "size", name: "Taille", minChoices: 1, maxChoices: 1, options: [{ name: "Normal", priceDeltaXof: 0 }, { name: "Grand", priceDeltaXof: 500 }] }
        ]
      }), 201)
      assert.strictEqual(garba.optionGroups.length, 2)
      assert.strictEqual(garba.optionGroups[1].kind, "size")
      const bissap = ok(yield* as("POST", `${base}/products`, { categoryId: boissons.id, name: "Bissap", priceXof: 300, stock: 10 }), 201)

      const first = yield* menu()
      assert.deepStrictEqual(first.categories.map((category: any) => category.name), ["Plats", "Boissons"])
      assert.deepStrictEqual(first.categories[0].products.map((product: any) => product.name), ["Garba"])
      assert.deepStrictEqual(yield* menu(), first, "the second read (from the cache) is the same menu")

      // Each write below is followed at once by a read that must already see it.
      ok(yield* as("PUT", `${base}/categories/${boissons.id}`, { name: "Boissons fraîches" }))
      assert.strictEqual((yield* menu()).categories[1].name, "Boissons fraîches")

      ok(yield* as("PUT", `${base}/categories-order`, { categoryIds: [boissons.id, plats.id] }))
      assert.deepStrictEqual((yield* menu()).categories.map((category: any) => category.id), [boissons.id, plats.id])

      ok(yield* as("PUT", `${base}/products/${garba.id}`, { priceXof: 1_200 }))
      assert.strictEqual((yield* menu()).categories[1].products[0].priceXof, 1_200)

      assert.deepStrictEqual(ok(yield* as("PATCH", `${base}/products/${bissap.id}/stock`, { adjustBy: -3 })), { stock: 7 })
      assert.strictEqual((yield* menu()).categories[0].products[0].stock, 7)
      assert.deepStrictEqual(ok(yield* as("PATCH", `${base}/products/${bissap.id}/stock`, { stock: 0 })), { stock: 0 })
      assert.isFalse((yield* menu()).categories[0].products[0].orderable, "out of stock is not orderable")

      const png = yield* Effect.promise(() => sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 240, g: 200, b: 80 } } }).png().toBuffer())
      const photo = ok(yield* uploadPhoto(`${api.url}${base}/products/${garba.id}/photo`, owner.token, png))
      assert.strictEqual((yield* menu()).categories[1].products[0].photoUrl, photo.photoUrl)
      const served = yield* Effect.promise(async () => {
        const response = await fetch(`${api.url}${new URL(photo.photoUrl).pathname}`)
        return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) }
      })
      assert.strictEqual(served.status, 200, "product photos are public files")
      const metadata = yield* Effect.promise(() => sharp(served.bytes).metadata())
      assert.strictEqual(metadata.format, "webp")
      assert.strictEqual(metadata.width, 1024)

      assert.strictEqual((yield* as("DELETE", `${base}/categories/${plats.id}`)).status, 204)
      const afterCategoryDeleted = yield* menu()
      assert.deepStrictEqual(afterCategoryDeleted.categories.map((category: any) => category.id), [boissons.id])
      assert.deepStrictEqual(afterCategoryDeleted.uncategorized.map((product: any) => product.id), [garba.id], "its products stay on the menu")

      assert.strictEqual((yield* as("DELETE", `${base}/products/${garba.id}`)).status, 204)
      assert.deepStrictEqual((yield* menu()).uncategorized, [], "a deleted product is gone from the next read")

      ok(yield* as("PUT", base, { name: "Maquis Chez Tantie Akissi II" }))
      assert.strictEqual((yield* menu()).provider.name, "Maquis Chez Tantie Akissi II")

      assert.isFalse(ok(yield* as("POST", `${base}/pause`)).isOpen)
      assert.isFalse((yield* menu()).provider.isOpen)
      assert.isTrue(ok(yield* as("POST", `${base}/resume`)).isOpen)
      assert.isTrue((yield* menu()).provider.isOpen)

      const closedToday = ok(yield* as("PUT", `${base}/schedule`, { weekly: [], exceptions: [] }))
      assert.isFalse(closedToday.isOpen)
      assert.isNull(closedToday.nextOpenAt, "no hours at all: no next opening")
      assert.deepStrictEqual((yield* menu()).provider.schedule.weekly, [])
    })))

  it.effect("a gas depot lists its bottles by brand and size, with the deposit and the stock of full bottles", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const owner = yield* accountWithRoles(api, ["client", "provider"])
      const as = (method: string, path: string, body?: unknown) => call(api.url, method, path, { token: owner.token, ...(body === undefined ? {} : { body }) })
      const depot = ok(yield* as("POST", "/api/v1/providers", { type: "gas_depot", name: "Dépôt de gaz Ahouan", location: randomFarPoint(), hours: alwaysOpen }), 201)
      const base = `/api/v1/providers/${depot.id}`
      const b12 = ok(yield* as("POST", `${base}/gas-products`, { brand: "Total", bottleSizeKg: 12.5, refillPriceXof: 5_200, newBottlePriceXof: 17_000, fullBottlesInStock: 4 }), 201)
      ok(yield* as("POST", `${base}/gas-products`, { brand: "Total", bottleSizeKg: 6, refillPriceXof: 2_000, newBottlePriceXof: 7_500, fullBottlesInStock: 12 }), 201)
      ok(yield* as("POST", `${base}/gas-products`, { brand: "Oryx", bottleSizeKg: 6, refillPriceXof: 2_000, newBottlePriceXof: 7_000 }), 201)
      const menu = ok(yield* call(api.url, "GET", `${base}/menu`))
      assert.deepStrictEqual(menu.gasBrands.map((brand: any) => [brand.brand, brand.bottles.map((bottle: any) => bottle.bottleSizeKg)]), [["Oryx", [6]], ["Total", [6, 12.5]]])
      const total12 = menu.gasBrands[1].bottles[1]
      assert.strictEqual(total12.depositXof, 17_000 - 5_200)
      assert.strictEqual(total12.fullBottlesInStock, 4)

      assert.deepStrictEqual(ok(yield* as("PATCH", `${base}/gas-products/${b12.id}/stock`, { adjustBy: -4 })), { fullBottlesInStock: 0 })
      const empty = ok(yield* call(api.url, "GET", `${base}/menu`)).gasBrands[1].bottles[1]
      assert.isFalse(empty.orderable)
      ok(yield* as("PUT", `${base}/gas-products/${b12.id}`, { refillPriceXof: 5_500, newBottlePriceXof: 17_300 }))
      assert.strictEqual(ok(yield* call(api.url, "GET", `${base}/menu`)).gasBrands[1].bottles[1].refillPriceXof, 5_500)
      assert.strictEqual((yield* as("DELETE", `${base}/gas-products/${b12.id}`)).status, 204)
      assert.strictEqual(ok(yield* call(api.url, "GET", `${base}/menu`)).gasBrands[1].bottles.length, 1)
    })))

  it.effect("nearby: nearest first with distances; a paused provider leaves the open-now results at once", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const owner = yield* accountWithRoles(api, ["client", "provider"])
      const centre = randomFarPoint()
      const offsets = [0.002, 0.006, 0.011]
      const created = []
      for (const offset of offsets) {
        created.push(ok(yield* call(api.url, "POST", "/api/v1/providers", {
          token: owner.token,
          body: { type: "grocery", name: `Boutique ${offset}`, location: { lat: centre.lat + offset, lng: centre.lng }, hours: alwaysOpen }
        }), 201))
      }
      const nearby = (query: string) => Effect.map(call(api.url, "GET", `/api/v1/providers/nearby?lat=${centre.lat}&lng=${centre.lng}&radiusM=2000${query}`), (response) => ok(response))
      const all = yield* nearby("")
      assert.deepStrictEqual(all.items.map((item: any) => item.id), created.map((provider) => provider.id))
      // 0.002° of latitude ≈ 222 m.
      assert.approximately(all.items[0].distanceM, 222, 3)
      assert.isTrue(all.items.every((item: any) => item.isOpen))
      assert.deepStrictEqual(yield* nearby("&openNow=true"), all, "cached or not, the same page")

      ok(yield* call(api.url, "POST", `/api/v1/providers/${created[1].id}/pause`, { token: owner.token }))
      const open = yield* nearby("&openNow=true")
      assert.deepStrictEqual(open.items.map((item: any) => item.id), [created[0].id, created[2].id], "paused: gone from open-now at once")
      const any = yield* nearby("")
      assert.isFalse(any.items[1].isOpen, "still listed without the filter, shown closed")
      assert.isNull(any.items[1].nextOpenAt, "paused: no next opening until resumed")
    })))

  it.effect("list: accent-insensitive name search, and pages that give every provider exactly once", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const admin = yield* accountWithRoles(api, ["client", "admin"])
      const word = uniqueWord()
      const names = ["Café", "Épicerie", "Maquis", "Alloco", "Garbadrome", "Dépôt", "Superette"].map((name) => `${name} ${word} Élan`)
      for (const name of names) {
        ok(yield* call(api.url, "POST", "/api/v1/providers", { token: admin.token, body: { type: "grocery", name, location: randomFarPoint() } }), 201)
      }
      const found = ok(yield* call(api.url, "GET", `/api/v1/providers?q=${encodeURIComponent(`cafe ${word} elan`)}`))
      assert.deepStrictEqual(found.items.map((item: any) => item.name), [`Café ${word} Élan`])

      const seen: Array<string> = []
      let cursor: string | null = null
      let pages = 0
      do {
        const query: string = `/api/v1/providers?q=${word}&limit=3${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`
        const page = ok(yield* call(api.url, "GET", query))
        seen.push(...page.items.map((item: any) => item.name))
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
      for (const name of ["Maquis du Carrefour", "Dépôt de gaz du Marché"]) {
        ok(yield* call(api.url, "POST", "/api/v1/providers", { token: owner.token, body: { type: "restaurant", name, location: randomFarPoint() } }), 201)
      }
      ok(yield* call(api.url, "POST", "/api/v1/providers", { token: neighbour.token, body: { type: "grocery", name: "Boutique Moussa", location: randomFarPoint() } }), 201)
      const mine = ok(yield* call(api.url, "GET", "/api/v1/providers/mine", { token: owner.token }))
      assert.deepStrictEqual(mine.items.map((item: any) => item.name), ["Dépôt de gaz du Marché", "Maquis du Carrefour"])
      assert.strictEqual((yield* call(api.url, "GET", "/api/v1/providers/mine")).status, 401)
    })))

  it.effect("with Redis down the catalogue still answers from Postgres", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const owner = yield* accountWithRoles(api, ["client", "provider"])
      const location = randomFarPoint()
      const provider = ok(yield* call(api.url, "POST", "/api/v1/providers", { token: owner.token, body: { type: "restaurant", name: "Restaurant Le Baobab", location, hours: alwaysOpen } }), 201)
      ok(yield* call(api.url, "POST", `/api/v1/providers/${provider.id}/products`, { token: owner.token, body: { name: "Kedjenou", priceXof: 2_500 } }), 201)

      const withoutRedis = yield* startApi({ ...env, REDIS_URL: closedRedis })
      const menu = ok(yield* call(withoutRedis.url, "GET", `/api/v1/providers/${provider.id}/menu`))
      assert.deepStrictEqual(menu.uncategorized.map((product: any) => product.name), ["Kedjenou"])
      const nearby = ok(yield* call(withoutRedis.url, "GET", `/api/v1/providers/nearby?lat=${location.lat}&lng=${location.lng}&radiusM=100`))
      assert.deepStrictEqual(nearby.items.map((item: any) => item.id), [provider.id])
      ok(yield* call(withoutRedis.url, "GET", `/api/v1/providers/${provider.id}`))
    })))
})
