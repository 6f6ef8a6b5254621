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
import type { Role } from "@nelo/domain/users/User"
import { type Account, client, expectProblem } from "../../support/authClient.ts"
import { catalogueSnapshot, storedFilesIn } from "../../support/catalogueSnapshot.ts"
import { answered, type NeloClient, neloClient, problemOf, type Refused } from "../../support/neloClient.ts"
import { startApi } from "../../support/startApi.ts"
import { xof } from "@nelo/domain/shared/Xof"

// Who may do what to a catalogue: anyone reads, nobody writes without a token, a client creates
// nothing, an owner (provider role) manages only their own providers and another owner's are 404
// (exactly like ids that do not exist), an admin manages everyone's. Every refused write is checked
// to have changed nothing: the rows as stored, the public menu, and the stored files.

const storageDirectory = mkdtempSync(join(tmpdir(), "nelo-catalogue-authorization-"))
const env = { TRUSTED_PROXY_HOPS: "1", STORAGE_DRIVER: "filesystem", STORAGE_DIRECTORY: storageDirectory }
afterAll(() => rmSync(storageDirectory, { recursive: true, force: true }))

type Api = Effect.Success<ReturnType<typeof startApi>>
type Client = ReturnType<typeof client>

/** One API server for the whole file: each test makes its own accounts and providers. */
class TestApi extends Context.Service<TestApi, Api>()("test/catalogueAuthorization/TestApi") {}
const TestApiLayer = Layer.effect(TestApi, startApi(env))

/** A point far from Tiassalé and every delivery zone, unique to the test that draws it. */
const farPoint = () => ({ lat: Number((-45 + Math.random() * 90).toFixed(6)), lng: Number((40 + Math.random() * 130).toFixed(6)) })
const metersNorth = (point: { lat: number; lng: number }, meters: number) => ({ lat: Number((point.lat + meters / 111_000).toFixed(6)), lng: point.lng })

/** A fresh token for the account, carrying its roles as stored now; the refresh token rotates. */
const refresh = (person: Client, account: Account) =>
  Effect.gen(function*() {
    const refreshed = yield* answered(person.as().auth.refresh({ payload: { refreshToken: account.refreshToken } }))
    assert.strictEqual(refreshed.status, 200, JSON.stringify(refreshed.body))
    return { ...account, accessToken: refreshed.body.accessToken, refreshToken: refreshed.body.refreshToken, roles: refreshed.body.user.roles }
  })

/** The account's roles set in the database, then a refreshed token that carries them. */
const withRoles = (person: Client, account: Account, roles: Array<Role>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE users.users SET roles = ${roles} WHERE id = ${account.user.id}`
    const refreshed = yield* refresh(person, account)
    assert.deepStrictEqual(refreshed.roles, roles)
    return refreshed
  })

const storedRoles = (userId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return (yield* sql<{ roles: Array<string> }>`SELECT roles FROM users.users WHERE id = ${userId}`)[0]!.roles
  })

/** The call's declared success with this status (201 unless said): its decoded view. */
const created = <A, E, R>(call: Effect.Effect<A, E, R>, status = 201) =>
  Effect.map(answered(call), (response) => {
    assert.strictEqual(response.status, status, JSON.stringify(response.body))
    return response.body
  })

const jpeg = () => sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 240, g: 160, b: 30 } } }).jpeg().toBuffer()

/** A photo as the app uploads it: multipart, field `file`. */
const photoForm = (bytes: Uint8Array) => {
  const form = new FormData()
  form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }), "plat.jpg")
  return form
}

/**
 * An owner (provider role) with a restaurant (a category, a counted product with a photo, an
 * uncounted one) and a gas depot (a counted bottle), side by side at a far point of its own.
 */
const ownerWithCatalogue = (person: Client) =>
  Effect.gen(function*() {
    const owner = yield* withRoles(person, yield* person.registered(), ["client", "provider"])
    const manage = person.as(owner.accessToken).catalogueManagement
    const prefix = `Zk${randomBytes(4).toString("hex")}`
    const point = farPoint()
    const restaurant = yield* created(manage.createProvider({
      payload: {
        type: "restaurant",
        name: `${prefix} Maquis`,
        location: point,
        hours: { weekly: [{ weekday: 5, intervals: [{ opens: "18:00", closes: "02:00" }] }] }
      }
    }))
    const depot = yield* created(manage.createProvider({ payload: { type: "gas_depot", name: `${prefix} Gaz`, location: metersNorth(point, 150) } }))
    const category = yield* created(manage.addCategory({ params: { providerId: restaurant.id }, payload: { name: "Grillades" } }))
    const product = yield* created(manage.addProduct({
      params: { providerId: restaurant.id },
      payload: {
        categoryId: category.id,
        name: "Poulet braisé",
        priceXof: xof(3500),
        stock: 2,
        optionGroups: [{ kind: "size", name: "Taille", minChoices: 1, maxChoices: 1, options: [{ name: "Demi", priceDeltaXof: xof(0) }, { name: "Entier", priceDeltaXof: xof(3000) }] }]
      }
    }))
    const uncounted = yield* created(manage.addProduct({ params: { providerId: restaurant.id }, payload: { name: "Attiéké", priceXof: xof(300) } }))
    const photo = yield* created(manage.changeProductPhoto({ params: { providerId: restaurant.id, productId: product.id }, payload: photoForm(yield* Effect.promise(jpeg)) }), 200)
    const bottle = yield* created(manage.addGasProduct({ params: { providerId: depot.id }, payload: { brand: "Total", bottleSizeKg: 6, refillPriceXof: xof(2000), newBottlePriceXof: xof(14000), fullBottlesInStock: 4 } }))
    return { owner, prefix, point, restaurant, depot, category, product, uncounted, photo, bottle }
  })

const snapshot = catalogueSnapshot
const storedFiles = () => storedFilesIn(storageDirectory)

interface Attempt {
  readonly name: string
  /** The call, through the typed client of whoever makes the attempt. */
  readonly call: (api: NeloClient) => Effect.Effect<unknown, unknown>
}

/** Every attempt answered with this problem; a few at a time. */
const expectAll = (person: Client, token: string | undefined, attempts: ReadonlyArray<Attempt>, status: number, code: string) =>
  Effect.forEach(attempts, (attempt) =>
    Effect.gen(function*() {
      const response = yield* problemOf(attempt.call(person.as(token)))
      const context = `${attempt.name} → ${response.status} ${JSON.stringify(response.body)}`
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
  const restaurant = { providerId: catalogue.restaurantId }
  const depot = { providerId: catalogue.depotId }
  const product = { ...restaurant, productId: catalogue.productId }
  const bottle = { ...depot, gasProductId: catalogue.bottleId }
  return [
    { name: "updateProvider", call: (api) => api.catalogueManagement.updateProvider({ params: restaurant, payload: { name: "Chez Bob", landmark: "ailleurs" } }) },
    { name: "setSchedule", call: (api) => api.catalogueManagement.setSchedule({ params: restaurant, payload: { weekly: [] } }) },
    { name: "pause", call: (api) => api.catalogueManagement.pause({ params: restaurant }) },
    { name: "resume", call: (api) => api.catalogueManagement.resume({ params: restaurant }) },
    { name: "addCategory", call: (api) => api.catalogueManagement.addCategory({ params: restaurant, payload: { name: "Volée" } }) },
    { name: "renameCategory", call: (api) => api.catalogueManagement.renameCategory({ params: { ...restaurant, categoryId: catalogue.categoryId }, payload: { name: "Volée" } }) },
    { name: "removeCategory", call: (api) => api.catalogueManagement.removeCategory({ params: { ...restaurant, categoryId: catalogue.categoryId } }) },
    { name: "reorderCategories", call: (api) => api.catalogueManagement.reorderCategories({ params: restaurant, payload: { categoryIds: [catalogue.categoryId] } }) },
    { name: "addProduct", call: (api) => api.catalogueManagement.addProduct({ params: restaurant, payload: { name: "Intrus", priceXof: xof(1) } }) },
    { name: "updateProduct", call: (api) => api.catalogueManagement.updateProduct({ params: product, payload: { priceXof: xof(1), available: false } }) },
    { name: "removeProduct", call: (api) => api.catalogueManagement.removeProduct({ params: product }) },
    { name: "changeProductStock (set)", call: (api) => api.catalogueManagement.changeProductStock({ params: product, payload: { stock: 0 } }) },
    { name: "changeProductStock (adjust)", call: (api) => api.catalogueManagement.changeProductStock({ params: product, payload: { adjustBy: -1 } }) },
    { name: "changeProductPhoto", call: (api) => api.catalogueManagement.changeProductPhoto({ params: product, payload: photoForm(catalogue.photo) }) },
    { name: "removeProductPhoto", call: (api) => api.catalogueManagement.removeProductPhoto({ params: product }) },
    { name: "addGasProduct", call: (api) => api.catalogueManagement.addGasProduct({ params: depot, payload: { brand: "Oryx", bottleSizeKg: 12.5, refillPriceXof: xof(1), newBottlePriceXof: xof(1) } }) },
    { name: "updateGasProduct", call: (api) => api.catalogueManagement.updateGasProduct({ params: bottle, payload: { available: false } }) },
    { name: "updateGasProduct (prices)", call: (api) => api.catalogueManagement.updateGasProduct({ params: bottle, payload: { refillPriceXof: xof(1), newBottlePriceXof: xof(2) } }) },
    { name: "removeGasProduct", call: (api) => api.catalogueManagement.removeGasProduct({ params: bottle }) },
    { name: "changeGasStock (set)", call: (api) => api.catalogueManagement.changeGasStock({ params: bottle, payload: { stock: 0 } }) },
    { name: "changeGasStock (adjust)", call: (api) => api.catalogueManagement.changeGasStock({ params: bottle, payload: { adjustBy: -1 } }) }
  ]
}

layer(Layer.mergeAll(PostgresLayer, TestApiLayer), { excludeTestServices: true, timeout: "60 seconds" })("catalogue: authorization", (it) => {
  it.effect("without a valid token every write is 401 and changes nothing; every read works without one", () =>
    Effect.gen(function*() {
      const api = yield* TestApi
      const person = client(api)
      const anyone = person.as().providers
      const a = yield* ownerWithCatalogue(person)
      const before = { restaurant: yield* snapshot(api, a.restaurant.id), depot: yield* snapshot(api, a.depot.id), files: storedFiles() }
      const writes: Array<Attempt> = [
        { name: "createProvider", call: (client) => client.catalogueManagement.createProvider({ payload: { type: "restaurant", name: `${a.prefix} Anonyme`, location: a.point } }) },
        ...everyWrite({ restaurantId: a.restaurant.id, depotId: a.depot.id, categoryId: a.category.id, productId: a.product.id, bottleId: a.bottle.id, photo: yield* Effect.promise(jpeg) })
      ]
      yield* expectAll(person, undefined, writes, 401, "unauthenticated")
      yield* expectAll(person, "not-a-token", writes, 401, "unauthenticated")
      assert.deepStrictEqual({ restaurant: yield* snapshot(api, a.restaurant.id), depot: yield* snapshot(api, a.depot.id), files: storedFiles() }, before)

      // Reads: no token needed.
      const listed = yield* created(anyone.list({ query: { q: a.prefix } }), 200)
      assert.deepStrictEqual(listed.items.map((item) => item.name), [`${a.prefix} Gaz`, `${a.prefix} Maquis`])
      assert.isNull(listed.nextCursor)
      const near = yield* created(anyone.nearby({ query: { lat: a.point.lat, lng: a.point.lng, radiusM: 500 } }), 200)
      assert.deepStrictEqual(near.items.map((item) => item.id), [a.restaurant.id, a.depot.id])
      assert.strictEqual(near.items[0]!.distanceM, 0)
      assert.isNull(near.items[0]!.zone, "far from every zone")
      assert.strictEqual((yield* created(anyone.get({ params: { providerId: a.restaurant.id } }), 200)).name, `${a.prefix} Maquis`)
      const menu = yield* created(anyone.menu({ params: { providerId: a.restaurant.id } }), 200)
      assert.deepStrictEqual(menu.categories.map((category) => category.products.map((product) => product.id)), [[a.product.id]])
      assert.strictEqual(menu.categories[0]!.products[0]!.photoUrl, a.photo.photoUrl)
      assert.deepStrictEqual(menu.uncategorized.map((product) => product.id), [a.uncounted.id])
      const depotMenu = yield* created(anyone.menu({ params: { providerId: a.depot.id } }), 200)
      assert.deepStrictEqual(depotMenu.gasBrands.map((brand) => brand.brand), ["Total"])
    }))

  it.effect("creating a provider: a client is 403, a provider for someone else 403, an admin for someone else 201 and they become a provider", () =>
    Effect.gen(function*() {
      const api = yield* TestApi
      const person = client(api)
      const sql = yield* SqlClient.SqlClient
      const prefix = `Zk${randomBytes(4).toString("hex")}`
      const point = farPoint()
      const named = (suffix: string) => ({ type: "grocery" as const, name: `${prefix} ${suffix}`, location: point })
      const withPrefix = () => Effect.map(sql<{ count: number }>`SELECT count(*)::int AS count FROM catalogue.providers WHERE search_name LIKE ${`${prefix.toLowerCase()}%`}`, (rows) => rows[0]!.count)
      type NewProvider = Parameters<NeloClient["catalogueManagement"]["createProvider"]>[0]["payload"]
      const create = (token: string, payload: NewProvider) => person.as(token).catalogueManagement.createProvider({ payload })

      const customer = yield* person.registered()
      const seller = yield* withRoles(person, yield* person.registered(), ["client", "provider"])
      const admin = yield* withRoles(person, yield* person.registered(), ["client", "admin"])

      expectProblem(yield* problemOf(create(customer.accessToken, named("Client"))), 403, "forbidden")
      expectProblem(yield* problemOf(create(customer.accessToken, { ...named("Client pour soi"), ownerId: customer.user.id })), 403, "forbidden")
      expectProblem(yield* problemOf(create(seller.accessToken, { ...named("Pour un autre"), ownerId: customer.user.id })), 403, "forbidden")
      expectProblem(yield* problemOf(create(seller.accessToken, { ...named("Pour l'admin"), ownerId: admin.user.id })), 403, "forbidden")
      expectProblem(yield* problemOf(create(admin.accessToken, { ...named("Sans compte"), ownerId: randomUUID() })), 422, "owner_not_found")
      assert.strictEqual(yield* withPrefix(), 0, "nothing was created")
      assert.deepStrictEqual(yield* storedRoles(customer.user.id), ["client"], "nobody got a role")

      // A provider creates their own, naming themselves or not.
      yield* created(create(seller.accessToken, named("Boutique")))
      yield* created(create(seller.accessToken, { ...named("Boutique bis"), ownerId: seller.user.id }))

      // An admin creates one for a client: the client becomes a provider, visible on their next token.
      const forCustomer = yield* created(create(admin.accessToken, { ...named("Épicerie de Aya"), ownerId: customer.user.id }))
      assert.deepStrictEqual((yield* sql<{ ownerId: string }>`SELECT owner_id FROM catalogue.providers WHERE id = ${forCustomer.id}`)[0]!.ownerId, customer.user.id)
      assert.deepStrictEqual(yield* storedRoles(customer.user.id), ["client", "provider"])
      // The token issued before still says client: it manages nothing yet.
      const addRice = (token: string) => person.as(token).catalogueManagement.addCategory({ params: { providerId: forCustomer.id }, payload: { name: "Riz" } })
      expectProblem(yield* problemOf(addRice(customer.accessToken)), 404, "not_found")
      const promoted = yield* refresh(person, customer)
      assert.deepStrictEqual(promoted.roles, ["client", "provider"])
      yield* created(addRice(promoted.accessToken))
      // An admin creating for someone already a provider does not give the role twice.
      yield* created(create(admin.accessToken, { ...named("Deuxième boutique"), ownerId: seller.user.id }))
      assert.deepStrictEqual(yield* storedRoles(seller.user.id), ["client", "provider"])
      // The admin owns none of these, yet a seller cannot see the customer's provider as theirs.
      expectProblem(yield* problemOf(person.as(seller.accessToken).catalogueManagement.updateProvider({ params: { providerId: forCustomer.id }, payload: { name: "Volée" } })), 404, "not_found")
      assert.strictEqual(yield* withPrefix(), 4)
    }))

  it.effect("provider B on provider A's catalogue: 404 every time, like an id that does not exist; A's catalogue and files unchanged", () =>
    Effect.gen(function*() {
      const api = yield* TestApi
      const person = client(api)
      const a = yield* ownerWithCatalogue(person)
      const b = yield* ownerWithCatalogue(person)
      const photo = yield* Effect.promise(jpeg)
      const before = {
        a: { restaurant: yield* snapshot(api, a.restaurant.id), depot: yield* snapshot(api, a.depot.id) },
        b: { restaurant: yield* snapshot(api, b.restaurant.id), depot: yield* snapshot(api, b.depot.id) },
        files: storedFiles()
      }

      // B names A's provider, category, product and bottle: every write is 404.
      yield* expectAll(person, b.owner.accessToken, everyWrite({
        restaurantId: a.restaurant.id,
        depotId: a.depot.id,
        categoryId: a.category.id,
        productId: a.product.id,
        bottleId: a.bottle.id,
        photo
      }), 404, "not_found")

      // B names their own provider with A's ids: still 404 (A's category is not B's either).
      const bRestaurant = { providerId: b.restaurant.id }
      const bDepot = { providerId: b.depot.id }
      yield* expectAll(person, b.owner.accessToken, [
        { name: "renameCategory of A's category", call: (api) => api.catalogueManagement.renameCategory({ params: { ...bRestaurant, categoryId: a.category.id }, payload: { name: "Volée" } }) },
        { name: "removeCategory of A's category", call: (api) => api.catalogueManagement.removeCategory({ params: { ...bRestaurant, categoryId: a.category.id } }) },
        { name: "addProduct into A's category", call: (api) => api.catalogueManagement.addProduct({ params: bRestaurant, payload: { name: "Intrus", priceXof: xof(1), categoryId: a.category.id } }) },
        { name: "updateProduct moving B's product into A's category", call: (api) => api.catalogueManagement.updateProduct({ params: { ...bRestaurant, productId: b.product.id }, payload: { categoryId: a.category.id } }) },
        { name: "updateProduct of A's product", call: (api) => api.catalogueManagement.updateProduct({ params: { ...bRestaurant, productId: a.product.id }, payload: { priceXof: xof(1) } }) },
        { name: "removeProduct of A's product", call: (api) => api.catalogueManagement.removeProduct({ params: { ...bRestaurant, productId: a.product.id } }) },
        { name: "changeProductStock of A's product", call: (api) => api.catalogueManagement.changeProductStock({ params: { ...bRestaurant, productId: a.product.id }, payload: { adjustBy: -1 } }) },
        { name: "changeProductPhoto of A's product", call: (api) => api.catalogueManagement.changeProductPhoto({ params: { ...bRestaurant, productId: a.product.id }, payload: photoForm(photo) }) },
        { name: "removeProductPhoto of A's product", call: (api) => api.catalogueManagement.removeProductPhoto({ params: { ...bRestaurant, productId: a.product.id } }) },
        { name: "updateGasProduct of A's bottle", call: (api) => api.catalogueManagement.updateGasProduct({ params: { ...bDepot, gasProductId: a.bottle.id }, payload: { available: false } }) },
        { name: "updateGasProduct of A's bottle (prices)", call: (api) => api.catalogueManagement.updateGasProduct({ params: { ...bDepot, gasProductId: a.bottle.id }, payload: { refillPriceXof: xof(1), newBottlePriceXof: xof(2) } }) },
        { name: "removeGasProduct of A's bottle", call: (api) => api.catalogueManagement.removeGasProduct({ params: { ...bDepot, gasProductId: a.bottle.id } }) },
        { name: "changeGasStock of A's bottle", call: (api) => api.catalogueManagement.changeGasStock({ params: { ...bDepot, gasProductId: a.bottle.id }, payload: { stock: 0 } }) }
      ], 404, "not_found")
      const asB = person.as(b.owner.accessToken).catalogueManagement
      // A reorder names the whole set: A's category is simply not one of B's.
      expectProblem(yield* problemOf(asB.reorderCategories({ params: bRestaurant, payload: { categoryIds: [a.category.id] } })), 422, "category_order_mismatch")

      // The 404 says nothing more than an id that does not exist.
      const strip = (response: Refused<unknown>) => [response.status, response.headers.get("content-type"), response.body]
      const pause = (providerId: string) => asB.pause({ params: { providerId } })
      const setStock = (productId: string) => asB.changeProductStock({ params: { ...bRestaurant, productId }, payload: { stock: 1 } })
      const pairs: ReadonlyArray<readonly [Effect.Effect<unknown, unknown>, Effect.Effect<unknown, unknown>]> = [
        [pause(a.restaurant.id), pause(randomUUID())],
        [setStock(a.product.id), setStock(randomUUID())]
      ]
      for (const [real, unknown] of pairs) {
        assert.deepStrictEqual(strip(yield* problemOf(real)), strip(yield* problemOf(unknown)))
      }

      assert.deepStrictEqual({
        a: { restaurant: yield* snapshot(api, a.restaurant.id), depot: yield* snapshot(api, a.depot.id) },
        b: { restaurant: yield* snapshot(api, b.restaurant.id), depot: yield* snapshot(api, b.depot.id) },
        files: storedFiles()
      }, before)
      // A still manages their own.
      const asA = person.as(a.owner.accessToken).catalogueManagement
      assert.deepStrictEqual(yield* created(asA.changeProductStock({ params: { providerId: a.restaurant.id, productId: a.product.id }, payload: { adjustBy: -1 } }), 200), { stock: 1 })
    }))

  it.effect("an owner who lost the provider role manages nothing, not even their own: 404, and creating is 403", () =>
    Effect.gen(function*() {
      const api = yield* TestApi
      const person = client(api)
      const a = yield* ownerWithCatalogue(person)
      const demoted = yield* withRoles(person, a.owner, ["client"])
      const before = { restaurant: yield* snapshot(api, a.restaurant.id), depot: yield* snapshot(api, a.depot.id), files: storedFiles() }
      yield* expectAll(person, demoted.accessToken, everyWrite({
        restaurantId: a.restaurant.id,
        depotId: a.depot.id,
        categoryId: a.category.id,
        productId: a.product.id,
        bottleId: a.bottle.id,
        photo: yield* Effect.promise(jpeg)
      }), 404, "not_found")
      expectProblem(yield* problemOf(person.as(demoted.accessToken).catalogueManagement.createProvider({ payload: { type: "restaurant", name: `${a.prefix} Encore`, location: a.point } })), 403, "forbidden")
      assert.deepStrictEqual({ restaurant: yield* snapshot(api, a.restaurant.id), depot: yield* snapshot(api, a.depot.id), files: storedFiles() }, before)
      // Given the role back, the owner manages it again.
      const restored = yield* withRoles(person, demoted, ["client", "provider"])
      assert.strictEqual((yield* created(person.as(restored.accessToken).catalogueManagement.pause({ params: { providerId: a.restaurant.id } }), 200)).schedule.paused, true)
    }))

  it.effect("an admin manages anyone's catalogue: every write succeeds on a provider they do not own", () =>
    Effect.gen(function*() {
      const api = yield* TestApi
      const person = client(api)
      const a = yield* ownerWithCatalogue(person)
      const admin = yield* withRoles(person, yield* person.registered(), ["client", "admin"])
      const manage = person.as(admin.accessToken).catalogueManagement
      const restaurant = { providerId: a.restaurant.id }
      const product = { ...restaurant, productId: a.product.id }
      const bottle = { providerId: a.depot.id, gasProductId: a.bottle.id }

      const renamed = yield* created(manage.updateProvider({ params: restaurant, payload: { name: `${a.prefix} Maquis (vérifié)`, landmark: "derrière la mairie" } }), 200)
      assert.strictEqual(renamed.landmark, "derrière la mairie")
      const scheduled = yield* created(manage.setSchedule({ params: restaurant, payload: { weekly: [{ weekday: 6, intervals: [{ opens: "11:00", closes: "23:00" }] }], exceptions: [{ date: "2026-08-07", intervals: [] }] } }), 200)
      assert.deepStrictEqual(scheduled.schedule.exceptions, [{ date: "2026-08-07", intervals: [] }])
      assert.isTrue((yield* created(manage.pause({ params: restaurant }), 200)).schedule.paused)
      assert.isFalse((yield* created(manage.resume({ params: restaurant }), 200)).schedule.paused)
      const drinks = yield* created(manage.addCategory({ params: restaurant, payload: { name: "Boissons" } }))
      assert.strictEqual((yield* created(manage.renameCategory({ params: { ...restaurant, categoryId: drinks.id }, payload: { name: "Jus" } }), 200)).name, "Jus")
      const order = yield* created(manage.reorderCategories({ params: restaurant, payload: { categoryIds: [drinks.id, a.category.id] } }), 200)
      assert.deepStrictEqual(order.map((category) => category.id), [drinks.id, a.category.id])
      const bissap = yield* created(manage.addProduct({ params: restaurant, payload: { categoryId: drinks.id, name: "Bissap", priceXof: xof(300), stock: 10 } }))
      assert.strictEqual((yield* created(manage.updateProduct({ params: product, payload: { priceXof: xof(4000) } }), 200)).priceXof, 4000)
      assert.deepStrictEqual(yield* created(manage.changeProductStock({ params: product, payload: { adjustBy: -1 } }), 200), { stock: 1 })
      const newPhoto = yield* created(manage.changeProductPhoto({ params: product, payload: photoForm(yield* Effect.promise(jpeg)) }), 200)
      assert.notStrictEqual(newPhoto.photoUrl, a.photo.photoUrl)
      assert.strictEqual((yield* answered(manage.removeProductPhoto({ params: product }))).status, 204)
      assert.strictEqual((yield* answered(manage.removeProduct({ params: { ...restaurant, productId: bissap.id } }))).status, 204)
      assert.strictEqual((yield* answered(manage.removeCategory({ params: { ...restaurant, categoryId: drinks.id } }))).status, 204)
      const b12 = yield* created(manage.addGasProduct({ params: { providerId: a.depot.id }, payload: { brand: "Total", bottleSizeKg: 12.5, refillPriceXof: xof(5000), newBottlePriceXof: xof(22000) } }))
      assert.strictEqual(b12.depositXof, 17000)
      assert.strictEqual((yield* created(manage.updateGasProduct({ params: bottle, payload: { refillPriceXof: xof(2100) } }), 200)).refillPriceXof, 2100)
      assert.deepStrictEqual(yield* created(manage.changeGasStock({ params: bottle, payload: { stock: 9 } }), 200), { fullBottlesInStock: 9 })
      assert.strictEqual((yield* answered(manage.removeGasProduct({ params: { providerId: a.depot.id, gasProductId: b12.id } }))).status, 204)

      // What customers now read, and the owner still manages it.
      const anyone = person.as().providers
      const menu = yield* created(anyone.menu({ params: restaurant }), 200)
      assert.strictEqual(menu.provider.name, `${a.prefix} Maquis (vérifié)`)
      assert.deepStrictEqual(menu.categories.map((category) => category.name), ["Grillades"])
      assert.deepStrictEqual(menu.categories[0]!.products.map((item) => [item.priceXof, item.stock, item.photoUrl]), [[4000, 1, null]])
      const depotMenu = yield* created(anyone.menu({ params: { providerId: a.depot.id } }), 200)
      assert.deepStrictEqual(depotMenu.gasBrands, [{ brand: "Total", bottles: [{ ...a.bottle, refillPriceXof: 2100, depositXof: 11900, fullBottlesInStock: 9 }] }])
      assert.strictEqual((yield* created(person.as(a.owner.accessToken).catalogueManagement.updateProvider({ params: restaurant, payload: { description: "Braisé au feu de bois" } }), 200)).description, "Braisé au feu de bois")
    }))
})
