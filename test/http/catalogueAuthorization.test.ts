import { randomBytes, randomUUID } from "node:crypto"
import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll } from "vitest"
import sharp from "sharp"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import type { ApiResponse } from "../support/apiClient.ts"
import { client, expectProblem } from "../support/authClient.ts"
import { catalogueSnapshot, storedFilesIn } from "../support/catalogueSnapshot.ts"
import { startApi } from "../support/startApi.ts"

// Who may do what to a catalogue: anyone reads, nobody writes without a token, a client creates
// nothing, an owner (provider role) manages only their own providers and another owner's are 404
// (exactly like ids that do not exist), an admin manages everyone's. Every refused write is checked
// to have changed nothing: the rows as stored, the public menu, and the stored files.

const storageDirectory = mkdtempSync(join(tmpdir(), "nelo-catalogue-authorization-"))
const env = { TRUSTED_PROXY_HOPS: "1", STORAGE_DRIVER: "filesystem", STORAGE_DIRECTORY: storageDirectory }
afterAll(() => rmSync(storageDirectory, { recursive: true, force: true }))

type Api = Effect.Success<ReturnType<typeof startApi>>
type Request = ReturnType<typeof client>["request"]

/** One API server for the whole file: each test makes its own accounts and providers. */
class TestApi extends Context.Service<TestApi, Api>()("test/catalogueAuthorization/TestApi") {}
const TestApiLayer = Layer.effect(TestApi, startApi(env))

const providers = "/api/v1/providers"

/** A point far from Tiassalé and every delivery zone, unique to the test that draws it. */
const farPoint = () => ({ lat: Number((-45 + Math.random() * 90).toFixed(6)), lng: Number((40 + Math.random() * 130).toFixed(6)) })
const metersNorth = (point: { lat: number; lng: number }, meters: number) => ({ lat: Number((point.lat + meters / 111_000).toFixed(6)), lng: point.lng })

interface Account {
  readonly phone: string
  readonly accessToken: string
  readonly refreshToken: string
  readonly user: { readonly id: string }
}

/** A fresh token for the account, carrying its roles as stored now; the refresh token rotates. */
const refresh = (request: Request, account: Account) =>
  Effect.gen(function*() {
    const refreshed = yield* request("POST", "/api/v1/auth/refresh", { body: { refreshToken: account.refreshToken } })
    assert.strictEqual(refreshed.status, 200, JSON.stringify(refreshed.body))
    return { ...account, accessToken: refreshed.body.accessToken as string, refreshToken: refreshed.body.refreshToken as string, roles: refreshed.body.user.roles as Array<string> }
  })

/** The account's roles set in the database, then a refreshed token that carries them. */
const withRoles = (request: Request, account: Account, roles: Array<string>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE users.users SET roles = ${roles} WHERE id = ${account.user.id}`
    const refreshed = yield* refresh(request, account)
    assert.deepStrictEqual(refreshed.roles, roles)
    return refreshed
  })

const storedRoles = (userId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return (yield* sql<{ roles: Array<string> }>`SELECT roles FROM users.users WHERE id = ${userId}`)[0]!.roles
  })

const created = (response: ApiResponse, status = 201) => {
  assert.strictEqual(response.status, status, JSON.stringify(response.body))
  return response.body
}

const jpeg = () => sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 240, g: 160, b: 30 } } }).jpeg().toBuffer()

const upload = (url: string, token: string | undefined, bytes: Uint8Array) =>
  Effect.promise(async (): Promise<ApiResponse> => {
    const form = new FormData()
    form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }), "plat.jpg")
    const response = await fetch(url, { method: "POST", headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, body: form })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) }
  })

/**
 * An owner (provider role) with a restaurant (a category, a counted product with a photo, an
 * uncounted one) and a gas depot (a counted bottle), side by side at a far point of its own.
 */
const ownerWithCatalogue = (request: Request, registered: () => Effect.Effect<Account>) =>
  Effect.gen(function*() {
    const api = yield* TestApi
    const owner = yield* withRoles(request, yield* registered(), ["client", "provider"])
    const send = (method: string, path: string, body?: unknown) => request(method, path, { token: owner.accessToken, ...(body === undefined ? {} : { body }) })
    const prefix = `Zk${randomBytes(4).toString("hex")}`
    const point = farPoint()
    const restaurant = created(yield* send("POST", providers, {
      type: "restaurant",
      name: `${prefix} Maquis`,
      location: point,
      hours: { weekly: [{ weekday: 5, intervals: [{ opens: "18:00", closes: "02:00" }] }] }
    }))
    const depot = created(yield* send("POST", providers, { type: "gas_depot", name: `${prefix} Gaz`, location: metersNorth(point, 150) }))
    const category = created(yield* send("POST", `${providers}/${restaurant.id}/categories`, { name: "Grillades" }))
    const product = created(yield* send("POST", `${providers}/${restaurant.id}/products`, {
      categoryId: category.id,
      name: "Poulet braisé",
      priceXof: 3500,
      stock: 2,
      optionGroups: [{ kind: "size", name: "Taille", minChoices: 1, maxChoices: 1, options: [{ name: "Demi", priceDeltaXof: 0 }, { name: "Entier", priceDeltaXof: 3000 }] }]
    }))
    const uncounted = created(yield* send("POST", `${providers}/${restaurant.id}/products`, { name: "Attiéké", priceXof: 300 }))
    const photo = created(yield* upload(`${api.url}${providers}/${restaurant.id}/products/${product.id}/photo`, owner.accessToken, yield* Effect.promise(jpeg)), 200)
    const bottle = created(yield* send("POST", `${providers}/${depot.id}/gas-products`, { brand: "Total", bottleSizeKg: 6, refillPriceXof: 2000, newBottlePriceXof: 14000, fullBottlesInStock: 4 }))
    return { owner, prefix, point, restaurant, depot, category, product, uncounted, photo, bottle }
  })

const snapshot = catalogueSnapshot
const storedFiles = () => storedFilesIn(storageDirectory)

interface Attempt {
  readonly name: string
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  readonly path: string
  readonly body?: unknown
  /** Sent as a multipart photo upload instead of JSON. */
  readonly photo?: Uint8Array
}

/** Every attempt answered with this problem; a few at a time. */
const expectAll = (api: Api, request: Request, token: string | undefined, attempts: ReadonlyArray<Attempt>, status: number, code: string) =>
  Effect.forEach(attempts, (attempt) =>
    Effect.gen(function*() {
      const response = attempt.photo !== undefined
        ? yield* upload(`${api.url}${attempt.path}`, token, attempt.photo)
        : yield* request(attempt.method, attempt.path, { ...(token === undefined ? {} : { token }), ...(attempt.body === undefined ? {} : { body: attempt.body }) })
      const context = `${attempt.name} — ${attempt.method} ${attempt.path} → ${response.status} ${JSON.stringify(response.body)}`
      assert.strictEqual(response.status, status, context)
      assert.strictEqual(response.headers.get("content-type"), "application/problem+json", context)
      assert.strictEqual(response.body.code, code, context)
      assert.isString(response.body.message, context)
      assert.isNotEmpty(response.body.message, context)
      // The catalogue's own 404, not an unknown route's (also 404 not_found).
      if (status === 404) assert.match(response.body.message, /^(Ce fournisseur|Cette catégorie|Ce produit|Cette bouteille) n'existe pas/u, context)
    }), { concurrency: 6, discard: true })

/** Every write of CatalogueManagementApi on this catalogue, with valid payloads. */
const everyWrite = (catalogue: {
  readonly restaurantId: string
  readonly depotId: string
  readonly categoryId: string
  readonly productId: string
  readonly bottleId: string
  readonly photo: Uint8Array
}): Array<Attempt> => {
  const restaurant = `${providers}/${catalogue.restaurantId}`
  const depot = `${providers}/${catalogue.depotId}`
  const product = `${restaurant}/products/${catalogue.productId}`
  const bottle = `${depot}/gas-products/${catalogue.bottleId}`
  return [
    { name: "updateProvider", method: "PUT", path: restaurant, body: { name: "Chez Bob", landmark: "ailleurs" } },
    { name: "setSchedule", method: "PUT", path: `${restaurant}/schedule`, body: { weekly: [] } },
    { name: "pause", method: "POST", path: `${restaurant}/pause` },
    { name: "resume", method: "POST", path: `${restaurant}/resume` },
    { name: "addCategory", method: "POST", path: `${restaurant}/categories`, body: { name: "Volée" } },
    { name: "renameCategory", method: "PUT", path: `${restaurant}/categories/${catalogue.categoryId}`, body: { name: "Volée" } },
    { name: "removeCategory", method: "DELETE", path: `${restaurant}/categories/${catalogue.categoryId}` },
    { name: "reorderCategories", method: "PUT", path: `${restaurant}/categories-order`, body: { categoryIds: [catalogue.categoryId] } },
    { name: "addProduct", method: "POST", path: `${restaurant}/products`, body: { name: "Intrus", priceXof: 1 } },
    { name: "updateProduct", method: "PUT", path: product, body: { priceXof: 1, available: false } },
    { name: "removeProduct", method: "DELETE", path: product },
    { name: "changeProductStock (set)", method: "PATCH", path: `${product}/stock`, body: { stock: 0 } },
    { name: "changeProductStock (adjust)", method: "PATCH", path: `${product}/stock`, body: { adjustBy: -1 } },
    { name: "changeProductPhoto", method: "POST", path: `${product}/photo`, photo: catalogue.photo },
    { name: "removeProductPhoto", method: "DELETE", path: `${product}/photo` },
    { name: "addGasProduct", method: "POST", path: `${depot}/gas-products`, body: { brand: "Oryx", bottleSizeKg: 12.5, refillPriceXof: 1, newBottlePriceXof: 1 } },
    { name: "updateGasProduct", method: "PUT", path: bottle, body: { available: false } },
    { name: "updateGasProduct (prices)", method: "PUT", path: bottle, body: { refillPriceXof: 1, newBottlePriceXof: 2 } },
    { name: "removeGasProduct", method: "DELETE", path: bottle },
    { name: "changeGasStock (set)", method: "PATCH", path: `${bottle}/stock`, body: { stock: 0 } },
    { name: "changeGasStock (adjust)", method: "PATCH", path: `${bottle}/stock`, body: { adjustBy: -1 } }
  ]
}

layer(Layer.mergeAll(PostgresLayer, TestApiLayer), { excludeTestServices: true, timeout: "60 seconds" })("catalogue: authorization", (it) => {
  it.effect("without a valid token every write is 401 and changes nothing; every read works without one", () =>
    Effect.gen(function*() {
      const api = yield* TestApi
      const { request, registered } = client(api)
      const a = yield* ownerWithCatalogue(request, registered)
      const before = { restaurant: yield* snapshot(request, a.restaurant.id), depot: yield* snapshot(request, a.depot.id), files: storedFiles() }
      const writes = [
        { name: "createProvider", method: "POST" as const, path: providers, body: { type: "restaurant", name: `${a.prefix} Anonyme`, location: a.point } },
        ...everyWrite({ restaurantId: a.restaurant.id, depotId: a.depot.id, categoryId: a.category.id, productId: a.product.id, bottleId: a.bottle.id, photo: yield* Effect.promise(jpeg) })
      ]
      yield* expectAll(api, request, undefined, writes, 401, "unauthenticated")
      yield* expectAll(api, request, "not-a-token", writes, 401, "unauthenticated")
      assert.deepStrictEqual({ restaurant: yield* snapshot(request, a.restaurant.id), depot: yield* snapshot(request, a.depot.id), files: storedFiles() }, before)

      // Reads: no token needed.
      const listed = created(yield* request("GET", `${providers}?q=${a.prefix}`), 200)
      assert.deepStrictEqual(listed.items.map((item: { name: string }) => item.name), [`${a.prefix} Gaz`, `${a.prefix} Maquis`])
      assert.isNull(listed.nextCursor)
      const near = created(yield* request("GET", `${providers}/nearby?lat=${a.point.lat}&lng=${a.point.lng}&radiusM=500`), 200)
      assert.deepStrictEqual(near.items.map((item: { id: string }) => item.id), [a.restaurant.id, a.depot.id])
      assert.strictEqual(near.items[0].distanceM, 0)
      assert.isNull(near.items[0].zone, "far from every zone")
      assert.strictEqual(created(yield* request("GET", `${providers}/${a.restaurant.id}`), 200).name, `${a.prefix} Maquis`)
      const menu = created(yield* request("GET", `${providers}/${a.restaurant.id}/menu`), 200)
      assert.deepStrictEqual(menu.categories.map((category: { products: Array<{ id: string }> }) => category.products.map((product) => product.id)), [[a.product.id]])
      assert.strictEqual(menu.categories[0].products[0].photoUrl, a.photo.photoUrl)
      assert.deepStrictEqual(menu.uncategorized.map((product: { id: string }) => product.id), [a.uncounted.id])
      const depotMenu = created(yield* request("GET", `${providers}/${a.depot.id}/menu`), 200)
      assert.deepStrictEqual(depotMenu.gasBrands.map((brand: { brand: string }) => brand.brand), ["Total"])
    }))

  it.effect("creating a provider: a client is 403, a provider for someone else 403, an admin for someone else 201 and they become a provider", () =>
    Effect.gen(function*() {
      const api = yield* TestApi
      const { request, registered } = client(api)
      const sql = yield* SqlClient.SqlClient
      const prefix = `Zk${randomBytes(4).toString("hex")}`
      const point = farPoint()
      const named = (suffix: string) => ({ type: "grocery", name: `${prefix} ${suffix}`, location: point })
      const withPrefix = () => Effect.map(sql<{ count: number }>`SELECT count(*)::int AS count FROM catalogue.providers WHERE search_name LIKE ${`${prefix.toLowerCase()}%`}`, (rows) => rows[0]!.count)
      const create = (token: string, body: unknown) => request("POST", providers, { token, body })

      const customer = yield* registered()
      const seller = yield* withRoles(request, yield* registered(), ["client", "provider"])
      const admin = yield* withRoles(request, yield* registered(), ["client", "admin"])

      expectProblem(yield* create(customer.accessToken, named("Client")), 403, "forbidden")
      expectProblem(yield* create(customer.accessToken, { ...named("Client pour soi"), ownerId: customer.user.id }), 403, "forbidden")
      expectProblem(yield* create(seller.accessToken, { ...named("Pour un autre"), ownerId: customer.user.id }), 403, "forbidden")
      expectProblem(yield* create(seller.accessToken, { ...named("Pour l'admin"), ownerId: admin.user.id }), 403, "forbidden")
      expectProblem(yield* create(admin.accessToken, { ...named("Sans compte"), ownerId: randomUUID() }), 422, "owner_not_found")
      assert.strictEqual(yield* withPrefix(), 0, "nothing was created")
      assert.deepStrictEqual(yield* storedRoles(customer.user.id), ["client"], "nobody got a role")

      // A provider creates their own, naming themselves or not.
      created(yield* create(seller.accessToken, named("Boutique")))
      created(yield* create(seller.accessToken, { ...named("Boutique bis"), ownerId: seller.user.id }))

      // An admin creates one for a client: the client becomes a provider, visible on their next token.
      const forCustomer = created(yield* create(admin.accessToken, { ...named("Épicerie de Aya"), ownerId: customer.user.id }))
      assert.deepStrictEqual((yield* sql<{ ownerId: string }>`SELECT owner_id FROM catalogue.providers WHERE id = ${forCustomer.id}`)[0]!.ownerId, customer.user.id)
      assert.deepStrictEqual(yield* storedRoles(customer.user.id), ["client", "provider"])
      // The token issued before still says client: it manages nothing yet.
      expectProblem(yield* request("POST", `${providers}/${forCustomer.id}/categories`, { token: customer.accessToken, body: { name: "Riz" } }), 404, "not_found")
      const promoted = yield* refresh(request, customer)
      assert.deepStrictEqual(promoted.roles, ["client", "provider"])
      created(yield* request("POST", `${providers}/${forCustomer.id}/categories`, { token: promoted.accessToken, body: { name: "Riz" } }))
      // An admin creating for someone already a provider does not give the role twice.
      created(yield* create(admin.accessToken, { ...named("Deuxième boutique"), ownerId: seller.user.id }))
      assert.deepStrictEqual(yield* storedRoles(seller.user.id), ["client", "provider"])
      // The admin owns none of these, yet a seller cannot see the customer's provider as theirs.
      expectProblem(yield* request("PUT", `${providers}/${forCustomer.id}`, { token: seller.accessToken, body: { name: "Volée" } }), 404, "not_found")
      assert.strictEqual(yield* withPrefix(), 4)
    }))

  it.effect("provider B on provider A's catalogue: 404 every time, like an id that does not exist; A's catalogue and files unchanged", () =>
    Effect.gen(function*() {
      const api = yield* TestApi
      const { request, registered } = client(api)
      const a = yield* ownerWithCatalogue(request, registered)
      const b = yield* ownerWithCatalogue(request, registered)
      const photo = yield* Effect.promise(jpeg)
      const before = {
        a: { restaurant: yield* snapshot(request, a.restaurant.id), depot: yield* snapshot(request, a.depot.id) },
        b: { restaurant: yield* snapshot(request, b.restaurant.id), depot: yield* snapshot(request, b.depot.id) },
        files: storedFiles()
      }

      // B names A's provider, category, product and bottle: every write is 404.
      yield* expectAll(api, request, b.owner.accessToken, everyWrite({
        restaurantId: a.restaurant.id,
        depotId: a.depot.id,
        categoryId: a.category.id,
        productId: a.product.id,
        bottleId: a.bottle.id,
        photo
      }), 404, "not_found")

      // B names their own provider with A's ids: still 404 (A's category is not B's either).
      const bRestaurant = `${providers}/${b.restaurant.id}`
      const bDepot = `${providers}/${b.depot.id}`
      yield* expectAll(api, request, b.owner.accessToken, [
        { name: "renameCategory of A's category", method: "PUT", path: `${bRestaurant}/categories/${a.category.id}`, body: { name: "Volée" } },
        { name: "removeCategory of A's category", method: "DELETE", path: `${bRestaurant}/categories/${a.category.id}` },
        { name: "addProduct into A's category", method: "POST", path: `${bRestaurant}/products`, body: { name: "Intrus", priceXof: 1, categoryId: a.category.id } },
        { name: "updateProduct moving B's product into A's category", method: "PUT", path: `${bRestaurant}/products/${b.product.id}`, body: { categoryId: a.category.id } },
        { name: "updateProduct of A's product", method: "PUT", path: `${bRestaurant}/products/${a.product.id}`, body: { priceXof: 1 } },
        { name: "removeProduct of A's product", method: "DELETE", path: `${bRestaurant}/products/${a.product.id}` },
        { name: "changeProductStock of A's product", method: "PATCH", path: `${bRestaurant}/products/${a.product.id}/stock`, body: { adjustBy: -1 } },
        { name: "changeProductPhoto of A's product", method: "POST", path: `${bRestaurant}/products/${a.product.id}/photo`, photo },
        { name: "removeProductPhoto of A's product", method: "DELETE", path: `${bRestaurant}/products/${a.product.id}/photo` },
        { name: "updateGasProduct of A's bottle", method: "PUT", path: `${bDepot}/gas-products/${a.bottle.id}`, body: { available: false } },
        { name: "updateGasProduct of A's bottle (prices)", method: "PUT", path: `${bDepot}/gas-products/${a.bottle.id}`, body: { refillPriceXof: 1, newBottlePriceXof: 2 } },
        { name: "removeGasProduct of A's bottle", method: "DELETE", path: `${bDepot}/gas-products/${a.bottle.id}` },
        { name: "changeGasStock of A's bottle", method: "PATCH", path: `${bDepot}/gas-products/${a.bottle.id}/stock`, body: { stock: 0 } }
      ], 404, "not_found")
      // A reorder names the whole set: A's category is simply not one of B's.
      expectProblem(yield* request("PUT", `${bRestaurant}/categories-order`, { token: b.owner.accessToken, body: { categoryIds: [a.category.id] } }), 422, "category_order_mismatch")

      // The 404 says nothing more than an id that does not exist.
      const strip = (response: ApiResponse) => [response.status, response.headers.get("content-type"), response.body]
      for (const [real, unknown] of [
        [`${providers}/${a.restaurant.id}/pause`, `${providers}/${randomUUID()}/pause`],
        [`${bRestaurant}/products/${a.product.id}/stock`, `${bRestaurant}/products/${randomUUID()}/stock`]
      ] as const) {
        const method = real.endsWith("pause") ? "POST" : "PATCH"
        const body = method === "PATCH" ? { stock: 1 } : undefined
        assert.deepStrictEqual(
          strip(yield* request(method, real, { token: b.owner.accessToken, ...(body === undefined ? {} : { body }) })),
          strip(yield* request(method, unknown, { token: b.owner.accessToken, ...(body === undefined ? {} : { body }) }))
        )
      }

      assert.deepStrictEqual({
        a: { restaurant: yield* snapshot(request, a.restaurant.id), depot: yield* snapshot(request, a.depot.id) },
        b: { restaurant: yield* snapshot(request, b.restaurant.id), depot: yield* snapshot(request, b.depot.id) },
        files: storedFiles()
      }, before)
      // A still manages their own.
      assert.deepStrictEqual(created(yield* request("PATCH", `${providers}/${a.restaurant.id}/products/${a.product.id}/stock`, { token: a.owner.accessToken, body: { adjustBy: -1 } }), 200), { stock: 1 })
    }))

  it.effect("an owner who lost the provider role manages nothing, not even their own: 404, and creating is 403", () =>
    Effect.gen(function*() {
      const api = yield* TestApi
      const { request, registered } = client(api)
      const a = yield* ownerWithCatalogue(request, registered)
      const demoted = yield* withRoles(request, a.owner, ["client"])
      const before = { restaurant: yield* snapshot(request, a.restaurant.id), depot: yield* snapshot(request, a.depot.id), files: storedFiles() }
      yield* expectAll(api, request, demoted.accessToken, everyWrite({
        restaurantId: a.restaurant.id,
        depotId: a.depot.id,
        categoryId: a.category.id,
        productId: a.product.id,
        bottleId: a.bottle.id,
        photo: yield* Effect.promise(jpeg)
      }), 404, "not_found")
      expectProblem(yield* request("POST", providers, { token: demoted.accessToken, body: { type: "restaurant", name: `${a.prefix} Encore`, location: a.point } }), 403, "forbidden")
      assert.deepStrictEqual({ restaurant: yield* snapshot(request, a.restaurant.id), depot: yield* snapshot(request, a.depot.id), files: storedFiles() }, before)
      // Given the role back, the owner manages it again.
      const restored = yield* withRoles(request, demoted, ["client", "provider"])
      assert.strictEqual(created(yield* request("POST", `${providers}/${a.restaurant.id}/pause`, { token: restored.accessToken }), 200).schedule.paused, true)
    }))

  it.effect("an admin manages anyone's catalogue: every write succeeds on a provider they do not own", () =>
    Effect.gen(function*() {
      const api = yield* TestApi
      const { request, registered } = client(api)
      const a = yield* ownerWithCatalogue(request, registered)
      const admin = yield* withRoles(request, yield* registered(), ["client", "admin"])
      const send = (method: string, path: string, body?: unknown) => request(method, path, { token: admin.accessToken, ...(body === undefined ? {} : { body }) })
      const restaurant = `${providers}/${a.restaurant.id}`
      const product = `${restaurant}/products/${a.product.id}`
      const bottle = `${providers}/${a.depot.id}/gas-products/${a.bottle.id}`

      const renamed = created(yield* send("PUT", restaurant, { name: `${a.prefix} Maquis (vérifié)`, landmark: "derrière la mairie" }), 200)
      assert.strictEqual(renamed.landmark, "derrière la mairie")
      const scheduled = created(yield* send("PUT", `${restaurant}/schedule`, { weekly: [{ weekday: 6, intervals: [{ opens: "11:00", closes: "23:00" }] }], exceptions: [{ date: "2026-08-07", intervals: [] }] }), 200)
      assert.deepStrictEqual(scheduled.schedule.exceptions, [{ date: "2026-08-07", intervals: [] }])
      assert.isTrue(created(yield* send("POST", `${restaurant}/pause`), 200).schedule.paused)
      assert.isFalse(created(yield* send("POST", `${restaurant}/resume`), 200).schedule.paused)
      const drinks = created(yield* send("POST", `${restaurant}/categories`, { name: "Boissons" }))
      assert.strictEqual(created(yield* send("PUT", `${restaurant}/categories/${drinks.id}`, { name: "Jus" }), 200).name, "Jus")
      const order = created(yield* send("PUT", `${restaurant}/categories-order`, { categoryIds: [drinks.id, a.category.id] }), 200)
      assert.deepStrictEqual(order.map((category: { id: string }) => category.id), [drinks.id, a.category.id])
      const bissap = created(yield* send("POST", `${restaurant}/products`, { categoryId: drinks.id, name: "Bissap", priceXof: 300, stock: 10 }))
      assert.strictEqual(created(yield* send("PUT", product, { priceXof: 4000 }), 200).priceXof, 4000)
      assert.deepStrictEqual(created(yield* send("PATCH", `${product}/stock`, { adjustBy: -1 }), 200), { stock: 1 })
      const newPhoto = created(yield* upload(`${api.url}${product}/photo`, admin.accessToken, yield* Effect.promise(jpeg)), 200)
      assert.notStrictEqual(newPhoto.photoUrl, a.photo.photoUrl)
      assert.strictEqual((yield* send("DELETE", `${product}/photo`)).status, 204)
      assert.strictEqual((yield* send("DELETE", `${restaurant}/products/${bissap.id}`)).status, 204)
      assert.strictEqual((yield* send("DELETE", `${restaurant}/categories/${drinks.id}`)).status, 204)
      const b12 = created(yield* send("POST", `${providers}/${a.depot.id}/gas-products`, { brand: "Total", bottleSizeKg: 12.5, refillPriceXof: 5000, newBottlePriceXof: 22000 }))
      assert.strictEqual(b12.depositXof, 17000)
      assert.strictEqual(created(yield* send("PUT", bottle, { refillPriceXof: 2100 }), 200).refillPriceXof, 2100)
      assert.deepStrictEqual(created(yield* send("PATCH", `${bottle}/stock`, { stock: 9 }), 200), { fullBottlesInStock: 9 })
      assert.strictEqual((yield* send("DELETE", `${providers}/${a.depot.id}/gas-products/${b12.id}`)).status, 204)

      // What customers now read, and the owner still manages it.
      const menu = created(yield* request("GET", `${restaurant}/menu`), 200)
      assert.strictEqual(menu.provider.name, `${a.prefix} Maquis (vérifié)`)
      assert.deepStrictEqual(menu.categories.map((category: { name: string }) => category.name), ["Grillades"])
      assert.deepStrictEqual(menu.categories[0].products.map((item: { priceXof: number; stock: number; photoUrl: string | null }) => [item.priceXof, item.stock, item.photoUrl]), [[4000, 1, null]])
      const depotMenu = created(yield* request("GET", `${providers}/${a.depot.id}/menu`), 200)
      assert.deepStrictEqual(depotMenu.gasBrands, [{ brand: "Total", bottles: [{ ...a.bottle, refillPriceXof: 2100, depositXof: 11900, fullBottlesInStock: 9 }] }])
      assert.strictEqual(created(yield* request("PUT", restaurant, { token: a.owner.accessToken, body: { description: "Braisé au feu de bois" } }), 200).description, "Braisé au feu de bois")
    }))
})
