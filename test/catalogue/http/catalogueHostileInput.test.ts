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
import type { ApiResponse } from "../../support/apiClient.ts"
import { client } from "../../support/authClient.ts"
import { catalogueSnapshot, storedFilesIn } from "../../support/catalogueSnapshot.ts"
import { startApi } from "../../support/startApi.ts"

// Every catalogue endpoint fed what a buggy app or a hostile caller would send. Each refusal is a
// problem+json with its code (400s name the field), and a refused write leaves the provider, its
// menu and the stored files exactly as they were: compared in the database row by row (the
// updated_at columns included) and through the public menu.

const storageDirectory = mkdtempSync(join(tmpdir(), "nelo-catalogue-hostile-"))
const env = { TRUSTED_PROXY_HOPS: "1", STORAGE_DRIVER: "filesystem", STORAGE_DIRECTORY: storageDirectory }
afterAll(() => rmSync(storageDirectory, { recursive: true, force: true }))

type Api = Effect.Success<ReturnType<typeof startApi>>
type Request = ReturnType<typeof client>["request"]

/** One API server for the whole file: each test makes its own accounts and providers. */
class TestApi extends Context.Service<TestApi, Api>()("test/catalogueHostileInput/TestApi") {}
const TestApiLayer = Layer.effect(TestApi, startApi(env))

const providers = "/api/v1/providers"

/**
 * A point of this test alone, far from Tiassalé and from every delivery zone: a nearby search
 * around it with a small radius sees only the providers the test put there.
 */
const farPoint = () => ({ lat: Number((-45 + Math.random() * 90).toFixed(6)), lng: Number((40 + Math.random() * 130).toFixed(6)) })
const metersNorth = (point: { lat: number; lng: number }, meters: number) => ({ lat: Number((point.lat + meters / 111_000).toFixed(6)), lng: point.lng })

/** The account's roles set in the database, then a refreshed token that carries them. */
const withRoles = (request: Request, account: { readonly user: { readonly id: string }; readonly refreshToken: string }, roles: Array<string>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE users.users SET roles = ${roles} WHERE id = ${account.user.id}`
    const refreshed = yield* request("POST", "/api/v1/auth/refresh", { body: { refreshToken: account.refreshToken } })
    assert.strictEqual(refreshed.status, 200, JSON.stringify(refreshed.body))
    assert.deepStrictEqual(refreshed.body.user.roles, roles)
    return { userId: account.user.id, token: refreshed.body.accessToken as string }
  })

const created = (response: ApiResponse, status = 201) => {
  assert.strictEqual(response.status, status, JSON.stringify(response.body))
  return response.body
}

/**
 * An owner (provider role) with a restaurant (hours, a category, a counted product with an option
 * group, an uncounted one) and a gas depot (a counted bottle, an uncounted one), side by side at a
 * far point; names start with a prefix of this test.
 */
const ownerWithCatalogue = Effect.gen(function*() {
  const api = yield* TestApi
  const { request, registered } = client(api)
  const owner = yield* withRoles(request, yield* registered(), ["client", "provider"])
  const send = (method: string, path: string, body?: unknown) => request(method, path, { token: owner.token, ...(body === undefined ? {} : { body }) })
  const prefix = `Zq${randomBytes(4).toString("hex")}`
  const point = farPoint()
  const restaurant = created(yield* send("POST", providers, {
    type: "restaurant",
    name: `${prefix} Maquis`,
    location: point,
    landmark: "face à la gare",
    hours: { weekly: [{ weekday: 1, intervals: [{ opens: "08:00", closes: "22:00" }] }], exceptions: [{ date: "2026-12-25", intervals: [] }] }
  }))
  const depot = created(yield* send("POST", providers, { type: "gas_depot", name: `${prefix} Gaz`, location: metersNorth(point, 200) }))
  const category = created(yield* send("POST", `${providers}/${restaurant.id}/categories`, { name: "Plats" }))
  const counted = created(yield* send("POST", `${providers}/${restaurant.id}/products`, {
    categoryId: category.id,
    name: "Garba",
    priceXof: 1000,
    stock: 2,
    optionGroups: [{ name: "Piment", minChoices: 0, maxChoices: 1, options: [{ name: "Piment à part", priceDeltaXof: 0 }] }]
  }))
  const uncounted = created(yield* send("POST", `${providers}/${restaurant.id}/products`, { name: "Alloco", priceXof: 500 }))
  const bottle = created(yield* send("POST", `${providers}/${depot.id}/gas-products`, { brand: "Petroci", bottleSizeKg: 12.5, refillPriceXof: 6500, newBottlePriceXof: 25000, fullBottlesInStock: 4 }))
  const uncountedBottle = created(yield* send("POST", `${providers}/${depot.id}/gas-products`, { brand: "Oryx", bottleSizeKg: 6, refillPriceXof: 2000, newBottlePriceXof: 15000 }))
  return { api, request, owner, send, prefix, point, restaurant, depot, category, counted, uncounted, bottle, uncountedBottle }
})

/** The provider's rows and public menu (read through the typed client). */
const snapshot = (providerId: string) => Effect.gen(function*() {
  return yield* catalogueSnapshot(yield* TestApi, providerId)
})
const storedFiles = () => storedFilesIn(storageDirectory)

interface Refusal {
  readonly name: string
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  readonly path: string
  readonly body?: unknown
  readonly rawBody?: string
  readonly status: number
  readonly code: string
  /** A 400's field, as the problem's `errors` name it. */
  readonly field?: ReadonlyArray<string | number>
  /** The last segment of a 400's field, when only that is pinned. */
  readonly fieldEndsWith?: string
  readonly message?: RegExp
}

const expectRefusal = (response: ApiResponse, refusal: Refusal) => {
  const context = `${refusal.name} — ${refusal.method} ${refusal.path} → ${response.status} ${JSON.stringify(response.body)}`
  assert.strictEqual(response.status, refusal.status, context)
  assert.strictEqual(response.headers.get("content-type"), "application/problem+json", context)
  assert.strictEqual(response.body.code, refusal.code, context)
  assert.isString(response.body.message, context)
  assert.isNotEmpty(response.body.message, context)
  if (refusal.message !== undefined) assert.match(response.body.message, refusal.message, context)
  if (refusal.status === 400) {
    assert.isArray(response.body.errors, context)
    assert.isNotEmpty(response.body.errors, context)
    for (const error of response.body.errors) {
      assert.isArray(error.path, context)
      assert.isString(error.message, context)
    }
  }
  const paths: Array<Array<string | number>> = (response.body.errors ?? []).map((error: { path: Array<string | number> }) => error.path)
  if (refusal.field !== undefined) assert.include(paths.map((path) => JSON.stringify(path)), JSON.stringify(refusal.field), context)
  if (refusal.fieldEndsWith !== undefined) assert.isTrue(paths.some((path) => path.at(-1) === refusal.fieldEndsWith), context)
}

/** Sends every refusal (a few at a time) and checks each answer. */
const refuseAll = (request: Request, token: string | undefined, refusals: ReadonlyArray<Refusal>) =>
  Effect.forEach(refusals, (refusal) =>
    request(refusal.method, refusal.path, {
      ...(token === undefined ? {} : { token }),
      ...(refusal.body === undefined ? {} : { body: refusal.body }),
      ...(refusal.rawBody === undefined ? {} : { rawBody: refusal.rawBody })
    }).pipe(Effect.map((response) => expectRefusal(response, refusal))), { concurrency: 6, discard: true })

const invalid = (name: string, method: Refusal["method"], path: string, body: unknown, field?: ReadonlyArray<string | number>): Refusal => ({
  name,
  method,
  path,
  ...(body === undefined ? {} : { body }),
  status: 400,
  code: "invalid_request",
  ...(field === undefined ? {} : { field })
})

/** The catalogue's own 404 (an unknown route is a 404 not_found too, with another message). */
const catalogueNotFound = /^(Ce fournisseur|Cette catégorie|Ce produit|Cette bouteille) n'existe pas/u

const notFound = (name: string, method: Refusal["method"], path: string, body?: unknown): Refusal => ({
  name,
  method,
  path,
  ...(body === undefined ? {} : { body }),
  status: 404,
  code: "not_found",
  message: catalogueNotFound
})

const upload = (url: string, token: string, fields: Record<string, string | { bytes: Uint8Array; name: string; type: string }>) =>
  Effect.promise(async (): Promise<ApiResponse> => {
    const form = new FormData()
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === "string") form.append(name, value)
      else form.append(name, new Blob([new Uint8Array(value.bytes)], { type: value.type }), value.name)
    }
    const response = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) }
  })

const base64Url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

layer(Layer.mergeAll(PostgresLayer, TestApiLayer), { excludeTestServices: true, timeout: "60 seconds" })("catalogue: hostile input", (it) => {
  it.effect("public reads: bad coordinates, radius, page size, type, ids and cursors are 400 naming the field", () =>
    Effect.gen(function*() {
      const { prefix, point, request, restaurant } = yield* ownerWithCatalogue
      const at = `lat=${point.lat}&lng=${point.lng}`
      // Two providers at the point and two with the prefix: both lists have a second page at limit=1.
      const near = created(yield* request("GET", `${providers}/nearby?${at}&radiusM=1000&limit=1`), 200)
      assert.strictEqual(near.items.length, 1)
      assert.isString(near.nextCursor)
      const byName = created(yield* request("GET", `${providers}?q=${prefix}&limit=1`), 200)
      assert.strictEqual(byName.items.length, 1)
      assert.isString(byName.nextCursor)
      // Each cursor works where it belongs.
      assert.strictEqual(created(yield* request("GET", `${providers}/nearby?${at}&radiusM=1000&limit=1&cursor=${near.nextCursor}`), 200).items.length, 1)
      assert.strictEqual(created(yield* request("GET", `${providers}?q=${prefix}&limit=1&cursor=${byName.nextCursor}`), 200).items.length, 1)

      const nearby = (query: string) => `${providers}/nearby?${query}`
      const list = (query: string) => `${providers}?${query}`
      const cursorRefused = (name: string, path: string): Refusal => ({ name, method: "GET", path, status: 400, code: "invalid_request", fieldEndsWith: "cursor", message: /curseur/u })
      yield* refuseAll(request, undefined, [
        invalid("nearby: latitude 91", "GET", nearby(`lat=91&lng=${point.lng}`), undefined, ["query", "lat"]),
        invalid("nearby: latitude -90.5", "GET", nearby(`lat=-90.5&lng=${point.lng}`), undefined, ["query", "lat"]),
        invalid("nearby: latitude not a number", "GET", nearby(`lat=abc&lng=${point.lng}`), undefined, ["query", "lat"]),
        invalid("nearby: latitude empty", "GET", nearby(`lat=&lng=${point.lng}`), undefined, ["query", "lat"]),
        invalid("nearby: longitude missing", "GET", nearby(`lat=${point.lat}`), undefined, ["query", "lng"]),
        invalid("nearby: longitude 181", "GET", nearby(`lat=${point.lat}&lng=181`), undefined, ["query", "lng"]),
        invalid("nearby: no coordinates at all", "GET", nearby("radiusM=100"), undefined, ["query", "lat"]),
        invalid("nearby: radius 20001 m", "GET", nearby(`${at}&radiusM=20001`), undefined, ["query", "radiusM"]),
        invalid("nearby: radius 0", "GET", nearby(`${at}&radiusM=0`), undefined, ["query", "radiusM"]),
        invalid("nearby: radius -5", "GET", nearby(`${at}&radiusM=-5`), undefined, ["query", "radiusM"]),
        invalid("nearby: radius 1.5", "GET", nearby(`${at}&radiusM=1.5`), undefined, ["query", "radiusM"]),
        invalid("nearby: limit 51", "GET", nearby(`${at}&limit=51`), undefined, ["query", "limit"]),
        invalid("nearby: limit 0", "GET", nearby(`${at}&limit=0`), undefined, ["query", "limit"]),
        invalid("nearby: limit abc", "GET", nearby(`${at}&limit=abc`), undefined, ["query", "limit"]),
        invalid("nearby: unknown type", "GET", nearby(`${at}&type=bakery`), undefined, ["query", "type"]),
        invalid("nearby: openNow not a boolean", "GET", nearby(`${at}&openNow=yes`), undefined, ["query", "openNow"]),
        invalid("nearby: cursor over 512 characters", "GET", nearby(`${at}&cursor=${"a".repeat(513)}`), undefined, ["query", "cursor"]),
        cursorRefused("nearby: garbage cursor", nearby(`${at}&cursor=garbage`)),
        cursorRefused("nearby: the list's cursor", nearby(`${at}&cursor=${byName.nextCursor}`)),
        cursorRefused("nearby: a cursor of another kind", nearby(`${at}&cursor=${base64Url({ kind: "name", searchName: "a", id: randomUUID() })}`)),
        cursorRefused("nearby: a cursor with a negative distance", nearby(`${at}&cursor=${base64Url({ kind: "distance", centre: point, distanceM: -1, id: randomUUID() })}`)),

        invalid("list: limit 100", "GET", list("limit=100"), undefined, ["query", "limit"]),
        invalid("list: limit 0", "GET", list("limit=0"), undefined, ["query", "limit"]),
        invalid("list: zoneId not a uuid", "GET", list("zoneId=not-a-uuid"), undefined, ["query", "zoneId"]),
        invalid("list: zoneId SQL", "GET", list(`zoneId=${encodeURIComponent("' OR 1=1 --")}`), undefined, ["query", "zoneId"]),
        invalid("list: unknown type", "GET", list("type=bakery"), undefined, ["query", "type"]),
        invalid("list: search text over 80 characters", "GET", list(`q=${"a".repeat(81)}`), undefined, ["query", "q"]),
        invalid("list: openNow not a boolean", "GET", list("openNow=1"), undefined, ["query", "openNow"]),
        cursorRefused("list: garbage cursor", list("cursor=garbage")),
        cursorRefused("list: the nearby cursor", list(`cursor=${near.nextCursor}`)),

        invalid("get: id not a uuid", "GET", `${providers}/not-a-uuid`, undefined, ["path", "providerId"]),
        invalid("get: id with a path traversal", "GET", `${providers}/..%2F..%2Fetc%2Fpasswd`, undefined, ["path", "providerId"]),
        notFound("get: unknown id", "GET", `${providers}/${randomUUID()}`),
        invalid("menu: id not a uuid", "GET", `${providers}/not-a-uuid/menu`, undefined, ["path", "providerId"]),
        notFound("menu: unknown id", "GET", `${providers}/${randomUUID()}/menu`)
      ])
      // The provider itself reads fine.
      assert.strictEqual(created(yield* request("GET", `${providers}/${restaurant.id}`), 200).name, `${prefix} Maquis`)
    }))

  it.effect("search text is taken literally: LIKE wildcards and quotes match only themselves", () =>
    Effect.gen(function*() {
      const { prefix, request } = yield* ownerWithCatalogue
      // Unescaped, "<prefix>%" and "<prefix minus its last character>_" would match both providers.
      for (const q of [`${prefix}%`, `${prefix.slice(0, -1)}_`, `${prefix}' OR '1'='1`, `${prefix}\\`]) {
        const page = created(yield* request("GET", `${providers}?q=${encodeURIComponent(q)}`), 200)
        assert.deepStrictEqual(page.items, [], q)
      }
      const page = created(yield* request("GET", `${providers}?q=${encodeURIComponent("%")}&limit=50`), 200)
      for (const item of page.items) assert.include(item.name, "%")
    }))

  it.effect("provider fields, hours and pause: bad payloads and ids are refused, nothing is created or changed", () =>
    Effect.gen(function*() {
      const { depot, owner, point, prefix, request, restaurant } = yield* ownerWithCatalogue
      const sql = yield* SqlClient.SqlClient
      const ownedProviders = () => Effect.map(sql<{ count: number }>`SELECT count(*)::int AS count FROM catalogue.providers WHERE owner_id = ${owner.userId}`, (rows) => rows[0]!.count)
      const before = { restaurant: yield* snapshot(restaurant.id), depot: yield* snapshot(depot.id) }
      assert.strictEqual(yield* ownedProviders(), 2)

      const fresh = { type: "restaurant", name: `${prefix} Nouveau`, location: point }
      const day = (intervals: Array<{ opens: string; closes: string }>, weekday = 1) => ({ weekday, intervals })
      const sevenIntervals = Array.from({ length: 7 }, (_, index) => ({ opens: `0${index}:00`, closes: `0${index}:30` }))
      const eightDays = Array.from({ length: 8 }, (_, index) => day([{ opens: "08:00", closes: "12:00" }], (index % 7) + 1))
      const create = (name: string, body: unknown, field?: ReadonlyArray<string | number>) => invalid(`createProvider: ${name}`, "POST", providers, body, field)
      const withHours = (hours: unknown) => ({ ...fresh, hours })
      const update = (name: string, body: unknown, field?: ReadonlyArray<string | number>) => invalid(`updateProvider: ${name}`, "PUT", `${providers}/${restaurant.id}`, body, field)
      const schedule = (name: string, body: unknown, field?: ReadonlyArray<string | number>) =>
        invalid(`setSchedule: ${name}`, "PUT", `${providers}/${restaurant.id}/schedule`, body, field)

      yield* refuseAll(request, owner.token, [
        invalid("mine: limit 0", "GET", `${providers}/mine?limit=0`, undefined, ["query", "limit"]),
        invalid("mine: limit 51", "GET", `${providers}/mine?limit=51`, undefined, ["query", "limit"]),
        { name: "mine: garbage cursor", method: "GET", path: `${providers}/mine?cursor=garbage`, status: 400, code: "invalid_request", fieldEndsWith: "cursor", message: /curseur/u },
        create("empty name", { ...fresh, name: "" }, ["body", "name"]),
        create("one-character name", { ...fresh, name: "A" }, ["body", "name"]),
        create("121-character name", { ...fresh, name: "M".repeat(121) }, ["body", "name"]),
        create("name with a leading space", { ...fresh, name: " Maquis" }, ["body", "name"]),
        create("name not a string", { ...fresh, name: 42 }, ["body", "name"]),
        create("latitude 200", { ...fresh, location: { lat: 200, lng: 0 } }, ["body", "location", "lat"]),
        create("longitude -181", { ...fresh, location: { lat: 0, lng: -181 } }, ["body", "location", "lng"]),
        create("latitude as a string", { ...fresh, location: { lat: "5.9", lng: -4.8 } }, ["body", "location", "lat"]),
        create("no location", { type: "restaurant", name: `${prefix} Nouveau` }, ["body", "location"]),
        create("unknown type", { ...fresh, type: "bakery" }, ["body", "type"]),
        create("no type", { name: `${prefix} Nouveau`, location: point }, ["body", "type"]),
        create("1001-character description", { ...fresh, description: "d".repeat(1001) }, ["body", "description"]),
        create("301-character landmark", { ...fresh, landmark: "l".repeat(301) }, ["body", "landmark"]),
        create("ownerId not a uuid", { ...fresh, ownerId: "not-a-uuid" }, ["body", "ownerId"]),
        create("hours at 25:00", withHours({ weekly: [day([{ opens: "25:00", closes: "26:00" }])] }), ["body", "hours", "weekly", 0, "intervals", 0, "opens"]),
        create("hours at 12:60", withHours({ weekly: [day([{ opens: "08:00", closes: "12:60" }])] }), ["body", "hours", "weekly", 0, "intervals", 0, "closes"]),
        create("hours without a leading zero", withHours({ weekly: [day([{ opens: "8:00", closes: "12:00" }])] }), ["body", "hours", "weekly", 0, "intervals", 0, "opens"]),
        create("weekday 8", withHours({ weekly: [day([{ opens: "08:00", closes: "12:00" }], 8)] }), ["body", "hours", "weekly", 0, "weekday"]),
        create("weekday 0", withHours({ weekly: [day([{ opens: "08:00", closes: "12:00" }], 0)] }), ["body", "hours", "weekly", 0, "weekday"]),
        create("weekday 1.5", withHours({ weekly: [day([{ opens: "08:00", closes: "12:00" }], 1.5)] }), ["body", "hours", "weekly", 0, "weekday"]),
        create("7 intervals in a day", withHours({ weekly: [day(sevenIntervals)] }), ["body", "hours", "weekly", 0, "intervals"]),
        create("8 weekly entries", withHours({ weekly: eightDays }), ["body", "hours", "weekly"]),
        create("exception on 2026-13-01", withHours({ weekly: [], exceptions: [{ date: "2026-13-01", intervals: [] }] }), ["body", "hours", "exceptions", 0, "date"]),
        create("hours without weekly", withHours({ exceptions: [] }), ["body", "hours", "weekly"]),
        create("a JSON array", [fresh]),
        { name: "createProvider: malformed JSON", method: "POST", path: providers, rawBody: `{"type": "restaurant",`, status: 400, code: "malformed_json" },

        update("latitude 200", { location: { lat: 200, lng: 0 } }, ["body", "location", "lat"]),
        update("location without longitude", { location: { lat: 5.9 } }, ["body", "location", "lng"]),
        update("location null", { location: null }, ["body", "location"]),
        update("empty name", { name: "" }, ["body", "name"]),
        update("121-character name", { name: "M".repeat(121) }, ["body", "name"]),
        update("1001-character description", { description: "d".repeat(1001) }, ["body", "description"]),
        update("301-character landmark", { landmark: "l".repeat(301) }, ["body", "landmark"]),
        invalid("updateProvider: id not a uuid", "PUT", `${providers}/not-a-uuid`, { name: "Chez Tantie" }, ["path", "providerId"]),
        notFound("updateProvider: unknown id", "PUT", `${providers}/${randomUUID()}`, { name: "Chez Tantie" }),

        schedule("25:00", { weekly: [day([{ opens: "25:00", closes: "02:00" }])] }, ["body", "weekly", 0, "intervals", 0, "opens"]),
        schedule("weekday 8", { weekly: [day([{ opens: "08:00", closes: "12:00" }], 8)] }, ["body", "weekly", 0, "weekday"]),
        schedule("7 intervals in a day", { weekly: [day(sevenIntervals)] }, ["body", "weekly", 0, "intervals"]),
        schedule("8 weekly entries", { weekly: eightDays }, ["body", "weekly"]),
        schedule("exception on 2026-13-01", { weekly: [], exceptions: [{ date: "2026-13-01", intervals: [] }] }, ["body", "exceptions", 0, "date"]),
        schedule("exception date as a timestamp", { weekly: [], exceptions: [{ date: "2026-12-25T00:00:00Z", intervals: [] }] }, ["body", "exceptions", 0, "date"]),
        schedule("367 exceptions", { weekly: [], exceptions: Array.from({ length: 367 }, () => ({ date: "2026-12-25", intervals: [] })) }, ["body", "exceptions"]),
        schedule("no weekly", {}, ["body", "weekly"]),
        invalid("setSchedule: id not a uuid", "PUT", `${providers}/not-a-uuid/schedule`, { weekly: [] }, ["path", "providerId"]),
        notFound("setSchedule: unknown id", "PUT", `${providers}/${randomUUID()}/schedule`, { weekly: [] }),

        invalid("pause: id not a uuid", "POST", `${providers}/not-a-uuid/pause`, undefined, ["path", "providerId"]),
        notFound("pause: unknown id", "POST", `${providers}/${randomUUID()}/pause`),
        invalid("resume: id not a uuid", "POST", `${providers}/not-a-uuid/resume`, undefined, ["path", "providerId"]),
        notFound("resume: unknown id", "POST", `${providers}/${randomUUID()}/resume`)
      ])

      assert.strictEqual(yield* ownedProviders(), 2, "no provider was created")
      assert.deepStrictEqual(yield* snapshot(restaurant.id), before.restaurant)
      assert.deepStrictEqual(yield* snapshot(depot.id), before.depot)
    }))

  it.effect("categories: bad names, ids and orders are refused and change nothing", () =>
    Effect.gen(function*() {
      const { category, owner, request, restaurant } = yield* ownerWithCatalogue
      const before = yield* snapshot(restaurant.id)
      const categories = `${providers}/${restaurant.id}/categories`
      const order = `${providers}/${restaurant.id}/categories-order`
      const mismatch = (name: string, categoryIds: Array<string>): Refusal => ({ name, method: "PUT", path: order, body: { categoryIds }, status: 422, code: "category_order_mismatch" })

      yield* refuseAll(request, owner.token, [
        invalid("addCategory: empty name", "POST", categories, { name: "" }, ["body", "name"]),
        invalid("addCategory: 81-character name", "POST", categories, { name: "B".repeat(81) }, ["body", "name"]),
        invalid("addCategory: name with a trailing space", "POST", categories, { name: "Boissons " }, ["body", "name"]),
        invalid("addCategory: name not a string", "POST", categories, { name: 42 }, ["body", "name"]),
        invalid("addCategory: no name", "POST", categories, {}, ["body", "name"]),
        invalid("addCategory: provider id not a uuid", "POST", `${providers}/not-a-uuid/categories`, { name: "Boissons" }, ["path", "providerId"]),
        notFound("addCategory: unknown provider", "POST", `${providers}/${randomUUID()}/categories`, { name: "Boissons" }),

        invalid("renameCategory: empty name", "PUT", `${categories}/${category.id}`, { name: "" }, ["body", "name"]),
        invalid("renameCategory: 81-character name", "PUT", `${categories}/${category.id}`, { name: "B".repeat(81) }, ["body", "name"]),
        invalid("renameCategory: id not a uuid", "PUT", `${categories}/not-a-uuid`, { name: "Boissons" }, ["path", "categoryId"]),
        notFound("renameCategory: unknown id", "PUT", `${categories}/${randomUUID()}`, { name: "Boissons" }),

        invalid("removeCategory: id not a uuid", "DELETE", `${categories}/not-a-uuid`, undefined, ["path", "categoryId"]),
        notFound("removeCategory: unknown id", "DELETE", `${categories}/${randomUUID()}`),

        invalid("reorderCategories: an id not a uuid", "PUT", order, { categoryIds: [category.id, "not-a-uuid"] }, ["body", "categoryIds", 1]),
        invalid("reorderCategories: ids not an array", "PUT", order, { categoryIds: category.id }, ["body", "categoryIds"]),
        invalid("reorderCategories: no ids", "PUT", order, {}, ["body", "categoryIds"]),
        invalid("reorderCategories: 201 ids", "PUT", order, { categoryIds: Array.from({ length: 201 }, () => randomUUID()) }, ["body", "categoryIds"]),
        mismatch("reorderCategories: the same category twice", [category.id, category.id]),
        mismatch("reorderCategories: an unknown category", [category.id, randomUUID()]),
        mismatch("reorderCategories: only an unknown category", [randomUUID()]),
        mismatch("reorderCategories: none", [])
      ])
      assert.deepStrictEqual(yield* snapshot(restaurant.id), before)
    }))

  it.effect("products: bad prices, names, stocks and option groups are refused and change nothing", () =>
    Effect.gen(function*() {
      const { counted, owner, request, restaurant } = yield* ownerWithCatalogue
      const before = yield* snapshot(restaurant.id)
      const products = `${providers}/${restaurant.id}/products`
      const placali = { name: "Placali", priceXof: 800 }
      const options = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `Option ${index + 1}`, priceDeltaXof: 100 * index }))
      const group = (fields: Record<string, unknown>) => ({ name: "Accompagnement", minChoices: 1, maxChoices: 1, options: options(2), ...fields })
      const add = (name: string, body: Record<string, unknown>, field?: ReadonlyArray<string | number>) => invalid(`addProduct: ${name}`, "POST", products, { ...placali, ...body }, field)
      const addGroup = (name: string, fields: Record<string, unknown>, field?: ReadonlyArray<string | number>) => add(name, { optionGroups: [group(fields)] }, field)
      const unsatisfiable = (name: string, path: string, method: "POST" | "PUT", body: Record<string, unknown>): Refusal => ({
        name,
        method,
        path,
        body,
        status: 422,
        code: "option_group_invalid",
        message: /^Groupe d'options invalide/u
      })
      const update = (name: string, body: Record<string, unknown>, field?: ReadonlyArray<string | number>) => invalid(`updateProduct: ${name}`, "PUT", `${products}/${counted.id}`, body, field)
      const repeated = randomUUID()

      yield* refuseAll(request, owner.token, [
        add("price -1", { priceXof: -1 }, ["body", "priceXof"]),
        add("price 1.5", { priceXof: 1.5 }, ["body", "priceXof"]),
        add("price as a string", { priceXof: "1000" }, ["body", "priceXof"]),
        add("price 10 000 001", { priceXof: 10_000_001 }, ["body", "priceXof"]),
        add("price null", { priceXof: null }, ["body", "priceXof"]),
        invalid("addProduct: no price", "POST", products, { name: "Placali" }, ["body", "priceXof"]),
        add("empty name", { name: "" }, ["body", "name"]),
        add("121-character name", { name: "P".repeat(121) }, ["body", "name"]),
        add("name with a leading space", { name: " Placali" }, ["body", "name"]),
        add("1001-character description", { description: "d".repeat(1001) }, ["body", "description"]),
        add("stock -1", { stock: -1 }, ["body", "stock"]),
        add("stock 1.5", { stock: 1.5 }, ["body", "stock"]),
        add("stock 1 000 001", { stock: 1_000_001 }, ["body", "stock"]),
        add("stock as a string", { stock: "3" }, ["body", "stock"]),
        add("available as a string", { available: "yes" }, ["body", "available"]),
        add("categoryId not a uuid", { categoryId: "not-a-uuid" }, ["body", "categoryId"]),
        notFound("addProduct: unknown category", "POST", products, { ...placali, categoryId: randomUUID() }),
        invalid("addProduct: provider id not a uuid", "POST", `${providers}/not-a-uuid/products`, placali, ["path", "providerId"]),
        notFound("addProduct: unknown provider", "POST", `${providers}/${randomUUID()}/products`, placali),

        unsatisfiable("addProduct: minChoices 3 above maxChoices 1", products, "POST", { ...placali, optionGroups: [group({ minChoices: 3, maxChoices: 1, options: options(3) })] }),
        unsatisfiable("addProduct: maxChoices 3 above 2 options", products, "POST", { ...placali, optionGroups: [group({ minChoices: 0, maxChoices: 3 })] }),
        unsatisfiable("addProduct: a size group with maxChoices 2", products, "POST", { ...placali, optionGroups: [group({ kind: "size", minChoices: 1, maxChoices: 2 })] }),
        unsatisfiable("addProduct: an optional size group", products, "POST", { ...placali, optionGroups: [group({ kind: "size", minChoices: 0, maxChoices: 1 })] }),
        unsatisfiable("addProduct: the same option id twice", products, "POST", {
          ...placali,
          optionGroups: [group({ options: [{ id: repeated, name: "Attiéké", priceDeltaXof: 0 }, { id: repeated, name: "Riz", priceDeltaXof: 0 }] })]
        }),
        unsatisfiable("addProduct: the second group unsatisfiable", products, "POST", { ...placali, optionGroups: [group({}), group({ minChoices: 2, maxChoices: 2, options: options(1) })] }),
        addGroup("option price delta -100", { options: [{ name: "Attiéké", priceDeltaXof: -100 }] }, ["body", "optionGroups", 0, "options", 0, "priceDeltaXof"]),
        addGroup("option price delta 1.5", { options: [{ name: "Attiéké", priceDeltaXof: 1.5 }] }, ["body", "optionGroups", 0, "options", 0, "priceDeltaXof"]),
        addGroup("31 options", { maxChoices: 1, options: options(31) }, ["body", "optionGroups", 0, "options"]),
        addGroup("no options", { minChoices: 0, options: [] }, ["body", "optionGroups", 0, "options"]),
        addGroup("unknown kind", { kind: "colour" }, ["body", "optionGroups", 0, "kind"]),
        addGroup("minChoices -1", { minChoices: -1 }, ["body", "optionGroups", 0, "minChoices"]),
        addGroup("maxChoices 0", { minChoices: 0, maxChoices: 0 }, ["body", "optionGroups", 0, "maxChoices"]),
        addGroup("minChoices 1.5", { minChoices: 1.5 }, ["body", "optionGroups", 0, "minChoices"]),
        addGroup("empty option name", { options: [{ name: "", priceDeltaXof: 0 }] }, ["body", "optionGroups", 0, "options", 0, "name"]),
        addGroup("empty group name", { name: "" }, ["body", "optionGroups", 0, "name"]),
        addGroup("group id not a uuid", { id: "not-a-uuid" }, ["body", "optionGroups", 0, "id"]),
        add("11 option groups", { optionGroups: Array.from({ length: 11 }, () => group({})) }, ["body", "optionGroups"]),

        update("price -1", { priceXof: -1 }, ["body", "priceXof"]),
        update("price 1.5", { priceXof: 1.5 }, ["body", "priceXof"]),
        update("price as a string", { priceXof: "1000" }, ["body", "priceXof"]),
        update("price 10 000 001", { priceXof: 10_000_001 }, ["body", "priceXof"]),
        update("stock -1", { stock: -1 }, ["body", "stock"]),
        update("position -1", { position: -1 }, ["body", "position"]),
        update("position 10 001", { position: 10_001 }, ["body", "position"]),
        update("empty name", { name: "" }, ["body", "name"]),
        update("categoryId not a uuid", { categoryId: "not-a-uuid" }, ["body", "categoryId"]),
        update("option price delta -100", { optionGroups: [group({ options: [{ name: "Attiéké", priceDeltaXof: -100 }] })] }, ["body", "optionGroups", 0, "options", 0, "priceDeltaXof"]),
        unsatisfiable("updateProduct: minChoices above maxChoices", `${products}/${counted.id}`, "PUT", { optionGroups: [group({ minChoices: 2, maxChoices: 1 })] }),
        notFound("updateProduct: unknown category", "PUT", `${products}/${counted.id}`, { categoryId: randomUUID() }),
        invalid("updateProduct: id not a uuid", "PUT", `${products}/not-a-uuid`, { priceXof: 900 }, ["path", "productId"]),
        notFound("updateProduct: unknown id", "PUT", `${products}/${randomUUID()}`, { priceXof: 900 }),

        invalid("removeProduct: id not a uuid", "DELETE", `${products}/not-a-uuid`, undefined, ["path", "productId"]),
        notFound("removeProduct: unknown id", "DELETE", `${products}/${randomUUID()}`)
      ])
      assert.deepStrictEqual(yield* snapshot(restaurant.id), before)
    }))

  it.effect("stock: malformed changes are 400, below zero and uncounted stocks are 409, and nothing changes", () =>
    Effect.gen(function*() {
      const { bottle, counted, depot, owner, request, restaurant, uncounted, uncountedBottle } = yield* ownerWithCatalogue
      const before = { restaurant: yield* snapshot(restaurant.id), depot: yield* snapshot(depot.id) }
      const productStock = (id: string) => `${providers}/${restaurant.id}/products/${id}/stock`
      const gasStock = (id: string) => `${providers}/${depot.id}/gas-products/${id}/stock`
      const conflict = (name: string, path: string, body: unknown, code: string, message?: RegExp): Refusal => ({
        name,
        method: "PATCH",
        path,
        body,
        status: 409,
        code,
        ...(message === undefined ? {} : { message })
      })

      yield* refuseAll(request, owner.token, [
        invalid("product stock: empty change", "PATCH", productStock(counted.id), {}),
        invalid("product stock: -1", "PATCH", productStock(counted.id), { stock: -1 }),
        invalid("product stock: 1.5", "PATCH", productStock(counted.id), { stock: 1.5 }),
        invalid("product stock: as a string", "PATCH", productStock(counted.id), { stock: "3" }),
        invalid("product stock: 1 000 001", "PATCH", productStock(counted.id), { stock: 1_000_001 }),
        invalid("product stock: adjust by 1.5", "PATCH", productStock(counted.id), { adjustBy: 1.5 }),
        invalid("product stock: adjust by a string", "PATCH", productStock(counted.id), { adjustBy: "1" }),
        invalid("product stock: adjust by 1 000 001", "PATCH", productStock(counted.id), { adjustBy: 1_000_001 }),
        invalid("product stock: adjust by null", "PATCH", productStock(counted.id), { adjustBy: null }),
        conflict("product stock: -5 on a stock of 2", productStock(counted.id), { adjustBy: -5 }, "stock_below_zero", /il en reste 2/u),
        conflict("product stock: -3 on a stock of 2", productStock(counted.id), { adjustBy: -3 }, "stock_below_zero", /il en reste 2/u),
        conflict("product stock: adjusting a stock not counted", productStock(uncounted.id), { adjustBy: 1 }, "stock_not_counted"),
        conflict("product stock: taking from a stock not counted", productStock(uncounted.id), { adjustBy: -1 }, "stock_not_counted"),
        invalid("product stock: id not a uuid", "PATCH", `${providers}/${restaurant.id}/products/not-a-uuid/stock`, { stock: 1 }, ["path", "productId"]),
        notFound("product stock: unknown product", "PATCH", productStock(randomUUID()), { adjustBy: 1 }),
        notFound("product stock: a bottle's id as a product", "PATCH", productStock(bottle.id), { stock: 1 }),

        invalid("gas stock: empty change", "PATCH", gasStock(bottle.id), {}),
        invalid("gas stock: -1", "PATCH", gasStock(bottle.id), { stock: -1 }),
        invalid("gas stock: adjust by 0.5", "PATCH", gasStock(bottle.id), { adjustBy: 0.5 }),
        conflict("gas stock: -5 on a stock of 4", gasStock(bottle.id), { adjustBy: -5 }, "stock_below_zero", /il en reste 4/u),
        conflict("gas stock: adjusting a stock not counted", gasStock(uncountedBottle.id), { adjustBy: 3 }, "stock_not_counted"),
        invalid("gas stock: id not a uuid", "PATCH", `${providers}/${depot.id}/gas-products/not-a-uuid/stock`, { stock: 1 }, ["path", "gasProductId"]),
        notFound("gas stock: unknown bottle", "PATCH", gasStock(randomUUID()), { stock: 1 }),
        notFound("gas stock: a product's id as a bottle", "PATCH", gasStock(counted.id), { stock: 1 })
      ])
      assert.deepStrictEqual(yield* snapshot(restaurant.id), before.restaurant)
      assert.deepStrictEqual(yield* snapshot(depot.id), before.depot)
      // The refusals were not a broken endpoint: the same stock takes a valid change.
      assert.deepStrictEqual(created(yield* request("PATCH", productStock(counted.id), { token: owner.token, body: { adjustBy: -2 } }), 200), { stock: 0 })
    }))

  it.effect("gas bottles: unknown sizes and brands, inconsistent prices, duplicates and a restaurant are refused, nothing changes", () =>
    Effect.gen(function*() {
      const { bottle, depot, owner, request, restaurant } = yield* ownerWithCatalogue
      const before = { restaurant: yield* snapshot(restaurant.id), depot: yield* snapshot(depot.id) }
      const gasProducts = `${providers}/${depot.id}/gas-products`
      const b6 = { brand: "Total", bottleSizeKg: 6, refillPriceXof: 2000, newBottlePriceXof: 15000 }
      const add = (name: string, body: Record<string, unknown>, field?: ReadonlyArray<string | number>) => invalid(`addGasProduct: ${name}`, "POST", gasProducts, { ...b6, ...body }, field)
      const update = (name: string, body: Record<string, unknown>, field?: ReadonlyArray<string | number>) => invalid(`updateGasProduct: ${name}`, "PUT", `${gasProducts}/${bottle.id}`, body, field)
      const refused = (name: string, method: "POST" | "PUT", path: string, body: unknown, status: number, code: string): Refusal => ({ name, method, path, body, status, code })

      yield* refuseAll(request, owner.token, [
        add("a 7 kg bottle", { bottleSizeKg: 7 }, ["body", "bottleSizeKg"]),
        add("a 12.4 kg bottle", { bottleSizeKg: 12.4 }, ["body", "bottleSizeKg"]),
        add("size as a string", { bottleSizeKg: "6" }, ["body", "bottleSizeKg"]),
        add("brand Shell", { brand: "Shell" }, ["body", "brand"]),
        add("brand in lower case", { brand: "petroci" }, ["body", "brand"]),
        invalid("addGasProduct: no brand", "POST", gasProducts, { bottleSizeKg: 6, refillPriceXof: 2000, newBottlePriceXof: 15000 }, ["body", "brand"]),
        add("refill price -1", { refillPriceXof: -1 }, ["body", "refillPriceXof"]),
        add("refill price 1.5", { refillPriceXof: 1.5 }, ["body", "refillPriceXof"]),
        add("new bottle price 10 000 001", { newBottlePriceXof: 10_000_001 }, ["body", "newBottlePriceXof"]),
        add("full bottles -1", { fullBottlesInStock: -1 }, ["body", "fullBottlesInStock"]),
        refused("addGasProduct: a new bottle cheaper than a refill", "POST", gasProducts, { ...b6, newBottlePriceXof: 1999 }, 422, "gas_prices_inconsistent"),
        refused("addGasProduct: the same brand and size twice", "POST", gasProducts, { ...b6, brand: "Petroci", bottleSizeKg: 12.5 }, 409, "gas_product_duplicate"),
        refused("addGasProduct: bottles at a restaurant", "POST", `${providers}/${restaurant.id}/gas-products`, b6, 422, "not_a_gas_depot"),
        invalid("addGasProduct: provider id not a uuid", "POST", `${providers}/not-a-uuid/gas-products`, b6, ["path", "providerId"]),
        notFound("addGasProduct: unknown provider", "POST", `${providers}/${randomUUID()}/gas-products`, b6),

        update("a 7 kg bottle", { bottleSizeKg: 7 }, ["body", "bottleSizeKg"]),
        update("brand Shell", { brand: "Shell" }, ["body", "brand"]),
        update("refill price -1", { refillPriceXof: -1 }, ["body", "refillPriceXof"]),
        refused("updateGasProduct: new bottle below the refill", "PUT", `${gasProducts}/${bottle.id}`, { newBottlePriceXof: 6000 }, 422, "gas_prices_inconsistent"),
        refused("updateGasProduct: refill above the new bottle", "PUT", `${gasProducts}/${bottle.id}`, { refillPriceXof: 30000 }, 422, "gas_prices_inconsistent"),
        refused("updateGasProduct: becoming the other line's brand and size", "PUT", `${gasProducts}/${bottle.id}`, { brand: "Oryx", bottleSizeKg: 6 }, 409, "gas_product_duplicate"),
        invalid("updateGasProduct: id not a uuid", "PUT", `${gasProducts}/not-a-uuid`, { available: false }, ["path", "gasProductId"]),
        notFound("updateGasProduct: unknown id", "PUT", `${gasProducts}/${randomUUID()}`, { available: false }),
        notFound("updateGasProduct: unknown id, with prices", "PUT", `${gasProducts}/${randomUUID()}`, { refillPriceXof: 1, newBottlePriceXof: 2 }),

        invalid("removeGasProduct: id not a uuid", "DELETE", `${gasProducts}/not-a-uuid`, undefined, ["path", "gasProductId"]),
        notFound("removeGasProduct: unknown id", "DELETE", `${gasProducts}/${randomUUID()}`)
      ])
      assert.deepStrictEqual(yield* snapshot(restaurant.id), before.restaurant)
      assert.deepStrictEqual(yield* snapshot(depot.id), before.depot)
    }))

  it.effect("product photos: a text file is 415, an oversized one 413, an unreadable one 422; nothing is stored or changed", () =>
    Effect.gen(function*() {
      const { api, counted, owner, request, restaurant } = yield* ownerWithCatalogue
      const before = yield* snapshot(restaurant.id)
      const filesBefore = storedFiles()
      const photoUrl = (productId: string) => `${api.url}${providers}/${restaurant.id}/products/${productId}/photo`
      const send = (productId: string, file: { bytes: Uint8Array; name: string; type: string }) => upload(photoUrl(productId), owner.token, { file })
      const jpeg = yield* Effect.promise(() => sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 250, g: 180, b: 20 } } }).jpeg().toBuffer())
      const oversized = new Uint8Array(5 * 1024 * 1024 + 1)
      oversized.set(jpeg.subarray(0, 3))
      const refusal = (name: string, status: number, code: string): Refusal => ({ name, method: "POST", path: photoUrl(counted.id), status, code })

      expectRefusal(yield* send(counted.id, { bytes: Buffer.from("Garba 1000 F\nAlloco 500 F\n"), name: "menu.txt", type: "text/plain" }), refusal("a text file", 415, "unsupported_file_type"))
      expectRefusal(yield* send(counted.id, { bytes: Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"), name: "garba.jpg", type: "image/jpeg" }), refusal("an SVG named .jpg", 415, "unsupported_file_type"))
      expectRefusal(yield* send(counted.id, { bytes: oversized, name: "garba.jpg", type: "image/jpeg" }), refusal("5 MB and one byte", 413, "file_too_large"))
      expectRefusal(yield* send(counted.id, { bytes: jpeg.subarray(0, 20), name: "garba.jpg", type: "image/jpeg" }), refusal("a truncated JPEG", 422, "image_unreadable"))
      const noFile = yield* upload(photoUrl(counted.id), owner.token, { photo: "garba.jpg" })
      assert.strictEqual(noFile.status, 400, JSON.stringify(noFile.body))
      expectRefusal(yield* send("not-a-uuid", { bytes: jpeg, name: "garba.jpg", type: "image/jpeg" }), { ...refusal("product id not a uuid", 400, "invalid_request"), field: ["path", "productId"] })
      expectRefusal(yield* send(randomUUID(), { bytes: jpeg, name: "garba.jpg", type: "image/jpeg" }), { ...refusal("unknown product", 404, "not_found"), message: catalogueNotFound })
      yield* refuseAll(request, owner.token, [
        invalid("removeProductPhoto: id not a uuid", "DELETE", `${providers}/${restaurant.id}/products/not-a-uuid/photo`, undefined, ["path", "productId"]),
        notFound("removeProductPhoto: unknown product", "DELETE", `${providers}/${restaurant.id}/products/${randomUUID()}/photo`)
      ])

      assert.deepStrictEqual(storedFiles(), filesBefore, "no file was stored")
      assert.deepStrictEqual(yield* snapshot(restaurant.id), before)
      // The same product takes a real photo.
      const accepted = created(yield* send(counted.id, { bytes: jpeg, name: "garba.jpg", type: "image/jpeg" }), 200)
      assert.match(accepted.photoUrl, /\/products\/.+\.webp$/u)
    }))

  it.effect("forged cursors: a well-formed cursor with an impossible centre is never a server error", () =>
    Effect.gen(function*() {
      const { point, request } = yield* ownerWithCatalogue
      const at = `lat=${point.lat}&lng=${point.lng}&radiusM=1000`
      for (const centre of [{ lat: 1000, lng: 0 }, { lat: 0, lng: 1e6 }, { lat: -1e300, lng: 1e300 }]) {
        const forged = base64Url({ kind: "distance", centre, distanceM: 0, id: randomUUID() })
        const response = yield* request("GET", `${providers}/nearby?${at}&cursor=${forged}`)
        const context = `${JSON.stringify(centre)} → ${response.status} ${JSON.stringify(response.body)}`
        if (response.status === 400) expectRefusal(response, { name: context, method: "GET", path: "nearby", status: 400, code: "invalid_request", fieldEndsWith: "cursor" })
        else assert.deepStrictEqual([response.status, response.body.items], [200, []], context)
      }
    }))

  it.effect("a NUL character in any text is a 400 naming the field, not a store failure; nothing changes", () =>
    Effect.gen(function*() {
      const { counted, owner, point, prefix, request, restaurant } = yield* ownerWithCatalogue
      const before = yield* snapshot(restaurant.id)
      const nul = "Chez\u0000Tantie"
      yield* refuseAll(request, owner.token, [
        invalid("createProvider: NUL in the name", "POST", providers, { type: "restaurant", name: `${prefix} ${nul}`, location: point }, ["body", "name"]),
        invalid("updateProvider: NUL in the landmark", "PUT", `${providers}/${restaurant.id}`, { landmark: nul }, ["body", "landmark"]),
        invalid("updateProvider: NUL in the description", "PUT", `${providers}/${restaurant.id}`, { description: nul }, ["body", "description"]),
        invalid("addCategory: NUL in the name", "POST", `${providers}/${restaurant.id}/categories`, { name: nul }, ["body", "name"]),
        invalid("updateProduct: NUL in the name", "PUT", `${providers}/${restaurant.id}/products/${counted.id}`, { name: nul }, ["body", "name"]),
        invalid("addProduct: NUL in an option's name", "POST", `${providers}/${restaurant.id}/products`, {
          name: "Garba",
          priceXof: 1000,
          optionGroups: [{ name: "Piment", minChoices: 0, maxChoices: 1, options: [{ name: nul, priceDeltaXof: 0 }] }]
        }, ["body", "optionGroups", 0, "options", 0, "name"]),
        invalid("list: NUL in the search text", "GET", `${providers}?q=a%00b`, undefined, ["query", "q"])
      ])
      assert.deepStrictEqual(yield* snapshot(restaurant.id), before)
    }))

  it.effect("a photo over the upload limit of the multipart parser (7 MB) is 413 file_too_large, not a 500", () =>
    Effect.gen(function*() {
      const { api, counted, owner, request, restaurant } = yield* ownerWithCatalogue
      const before = yield* snapshot(restaurant.id)
      const huge = new Uint8Array(7 * 1024 * 1024)
      huge.set([0xff, 0xd8, 0xff])
      const path = `${providers}/${restaurant.id}/products/${counted.id}/photo`
      expectRefusal(yield* upload(`${api.url}${path}`, owner.token, { file: { bytes: huge, name: "garba.jpg", type: "image/jpeg" } }), {
        name: "7 MB photo",
        method: "POST",
        path,
        status: 413,
        code: "file_too_large"
      })
      assert.deepStrictEqual(yield* snapshot(restaurant.id), before)
    }))

  it.effect("a stock change naming both stock and adjustBy is refused, not silently taken as one of them", () =>
    Effect.gen(function*() {
      const { counted, owner, request, restaurant } = yield* ownerWithCatalogue
      const before = yield* snapshot(restaurant.id)
      const path = `${providers}/${restaurant.id}/products/${counted.id}/stock`
      yield* refuseAll(request, owner.token, [
        invalid("stock and adjustBy", "PATCH", path, { stock: 5, adjustBy: -1 }),
        invalid("adjustBy and stock null", "PATCH", path, { adjustBy: -1, stock: null })
      ])
      assert.deepStrictEqual(yield* snapshot(restaurant.id), before)
    }))
})
