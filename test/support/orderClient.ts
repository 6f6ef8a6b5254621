import { randomBytes, randomUUID } from "node:crypto"
import { assert } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { xof } from "@nelo/domain/shared/Xof"
import { client } from "./authClient.ts"
import { accountWithRoles, alwaysOpen } from "./catalogueAccounts.ts"
import { type Answer, answered, type NeloClient, neloClient } from "./neloClient.ts"
import type { startApi } from "./startApi.ts"
import { fundedPerson, personWithPin, type Testbed, walletTestbed } from "./walletClient.ts"

// Orders through the API as people make them: a provider owner builds a restaurant (or a gas depot)
// inside Tiassalé's zones, open all the time, with a menu; customers (a PIN and money when they pay
// with the wallet) add an address in town; then they quote, order, cancel, and the owner handles
// the orders. Everything goes through the typed client (derived from NeloApi), so an answer that
// drifts from its schema fails the test that got it.

type Api = Effect.Success<ReturnType<typeof startApi>>

/**
 * Tiassalé's zones written (idempotently: every file that needs them seeds them), then fake Wave and
 * CinetPay and the API wired to them (walletTestbed): money arrives in wallets by real top-ups.
 * Needs SqlClient (PostgresLayer).
 */
export const orderTestbed = (env: Record<string, string | undefined> = {}) =>
  Effect.gen(function*() {
    yield* seedCity(tiassale).pipe(Effect.provide(ZoneRepositoryPostgres))
    return yield* walletTestbed(env)
  })

/**
 * Places in Tiassalé (packages/domain/src/geo/tiassale.ts): the town box is cut into six quartiers
 * at lat 5.898 and lng -4.8273 / -4.8167; none of these points lies on a border.
 */
export const places = {
  /** Tchègbanalôgô (marché), north of the middle line: where the providers are. */
  market: { lat: 5.905, lng: -4.822 },
  /** Prof, 0.010° (≈ 1.11 km) due south of the market: the 0-2 km band. */
  prof: { lat: 5.895, lng: -4.822 },
  /** Baoulékro, ≈ 2.6 km south-west of the market: the 2-5 km band. */
  baoulekro: { lat: 5.886, lng: -4.836 },
  /** N'Douci, a town of its own zone ≈ 7.4 km away: in a zone, beyond the 5 km radius. */
  ndouci: { lat: 5.8667, lng: -4.7667 }
} as const

export type Place = { readonly lat: number; readonly lng: number }

/** Great-circle distance in meters on the sphere of radius 6,371,008.8 m (computed here, not by the code under test). */
export const metersBetween = (from: Place, to: Place) => {
  const rad = (degrees: number) => (degrees * Math.PI) / 180
  const a = Math.sin(rad(to.lat - from.lat) / 2) ** 2 + Math.cos(rad(from.lat)) * Math.cos(rad(to.lat)) * Math.sin(rad(to.lng - from.lng) / 2) ** 2
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a))
}

/** The call's declared success with exactly this status: its decoded body. */
export const ok = <A, E, R>(call: Effect.Effect<A, E, R>, status = 200) =>
  Effect.map(answered(call), (response) => {
    assert.strictEqual(response.status, status, JSON.stringify(response.body))
    return response.body
  })

/**
 * A refusal of a change of an order (409 order_transition_refused or order_not_cancellable): its HTTP
 * status, its code, the action refused and the order's status it was refused in. That status is read
 * from `orderStatus`, or from `status` while the API still puts it there, over the problem's HTTP
 * status (the bug a test of orderJourneys.test.ts pins down); everything else is the same either way.
 */
export const expectRefusedIn = (
  answer: Answer<unknown, unknown>,
  expected: { readonly status: number; readonly code: string; readonly orderStatus: string; readonly action?: string }
) => {
  const context = JSON.stringify(answer.body)
  assert.isFalse(answer.ok, `expected a refusal, got ${answer.status} ${context}`)
  assert.strictEqual(answer.status, expected.status, context)
  assert.strictEqual(answer.headers.get("content-type"), "application/problem+json", context)
  const body = answer.body as Record<string, unknown>
  assert.strictEqual(body.code, expected.code, context)
  assert.isString(body.message, context)
  assert.strictEqual("orderStatus" in body ? body.orderStatus : body.status, expected.orderStatus, context)
  if (expected.action !== undefined) assert.strictEqual(body.action, expected.action, context)
}

/** An idempotency key as the app makes one. */
export const orderKey = () => randomUUID()

/** A promotion code nobody else uses (codes are global). */
export const uniqueCode = (prefix = "TIA") => `${prefix}${randomBytes(5).toString("hex").toUpperCase()}`

export interface OwnerOptions {
  /** Hours of the provider; open all the time unless given (`{ weekly: [], exceptions: [] }`: never open). */
  readonly hours?: { readonly weekly: ReadonlyArray<{ readonly weekday: number; readonly intervals: ReadonlyArray<{ readonly opens: string; readonly closes: string }> }>; readonly exceptions: ReadonlyArray<never> }
  readonly location?: Place
}

/** A provider owner (roles client and provider): their typed client and shortcuts. Needs SqlClient. */
export const providerOwner = (api: Api) =>
  Effect.gen(function*() {
    const account = yield* accountWithRoles(api, ["client", "provider"])
    const typed = neloClient(api.url, { token: account.token })
    return { ...account, api: typed }
  })

export type Owner = Effect.Success<ReturnType<typeof providerOwner>>

export interface RestaurantOptions extends OwnerOptions {
  /** The owner (a new one by default): two restaurants of one owner share it. */
  readonly owner?: Owner
  /** Garba's stock (counted by default: 20); null: cooked to order, not counted. */
  readonly garbaStock?: number | null
}

/**
 * A restaurant at the market, open all the time, with:
 * - Garba, 1,000 F, counted stock (20 unless asked), a size group (Normal +0, Grand +500) and a
 *   choice group "Accompagnement" of exactly one (Attiéké +0, Alloco +200);
 * - Bissap, 300 F, not counted; Beignet, 28 F, not counted (odd francs: discounts get rounded);
 * - Plateau royal, 16,000 F, not counted (two make a cash order above 30,000 F);
 * - Poulet braisé, 4,500 F, unavailable.
 * Needs SqlClient.
 */
export const restaurantOf = (api: Api, options: RestaurantOptions = {}) =>
  Effect.gen(function*() {
    const owner = options.owner ?? (yield* providerOwner(api))
    const manage = owner.api.catalogueManagement
    const name = `Maquis ${randomBytes(3).toString("hex")}`
    const provider = yield* ok(manage.createProvider({
      payload: { type: "restaurant", name, location: options.location ?? places.market, landmark: "à côté de la pharmacie du marché", hours: options.hours ?? alwaysOpen }
    }), 201)
    const providerId = provider.id
    const plats = yield* ok(manage.addCategory({ params: { providerId }, payload: { name: "Plats" } }), 201)
    const garba = yield* ok(manage.addProduct({
      params: { providerId },
      payload: {
        categoryId: plats.id,
        name: "Garba",
        priceXof: xof(1_000),
        stock: options.garbaStock === undefined ? 20 : options.garbaStock,
        optionGroups: [
          { kind: "size", name: "Taille", minChoices: 1, maxChoices: 1, options: [{ name: "Normal", priceDeltaXof: xof(0) }, { name: "Grand", priceDeltaXof: xof(500) }] },
          { name: "Accompagnement", minChoices: 1, maxChoices: 1, options: [{ name: "Attiéké", priceDeltaXof: xof(0) }, { name: "Alloco", priceDeltaXof: xof(200) }] }
        ]
      }
    }), 201)
    const size = garba.optionGroups.find((group) => group.kind === "size")!
    const side = garba.optionGroups.find((group) => group.kind !== "size")!
    const option = (group: typeof size, optionName: string) => group.options.find((candidate) => candidate.name === optionName)!.id
    const bissap = yield* ok(manage.addProduct({ params: { providerId }, payload: { name: "Bissap", priceXof: xof(300) } }), 201)
    const beignet = yield* ok(manage.addProduct({ params: { providerId }, payload: { name: "Beignet", priceXof: xof(28) } }), 201)
    const plateau = yield* ok(manage.addProduct({ params: { providerId }, payload: { name: "Plateau royal", priceXof: xof(16_000) } }), 201)
    const poulet = yield* ok(manage.addProduct({ params: { providerId }, payload: { name: "Poulet braisé", priceXof: xof(4_500), available: false } }), 201)
    return {
      owner,
      providerId,
      name,
      location: options.location ?? places.market,
      /** Garba with its option ids: normal/large (size), attieke/alloco (side). */
      garba: { id: garba.id, normal: option(size, "Normal"), large: option(size, "Grand"), attieke: option(side, "Attiéké"), alloco: option(side, "Alloco") },
      bissap: bissap.id,
      beignet: beignet.id,
      plateau: plateau.id,
      poulet: poulet.id
    }
  })

export type Restaurant = Effect.Success<ReturnType<typeof restaurantOf>>

/** A gas depot at the market, open all the time: Total 12.5 kg, refill 5,200 F, new 17,000 F, 4 full bottles. Needs SqlClient. */
export const gasDepotOf = (api: Api, options: { readonly owner?: Owner; readonly bottles?: number } = {}) =>
  Effect.gen(function*() {
    const owner = options.owner ?? (yield* providerOwner(api))
    const manage = owner.api.catalogueManagement
    const depot = yield* ok(manage.createProvider({
      payload: { type: "gas_depot", name: `Dépôt de gaz ${randomBytes(3).toString("hex")}`, location: places.market, landmark: "derrière la station", hours: alwaysOpen }
    }), 201)
    const bottle = yield* ok(manage.addGasProduct({
      params: { providerId: depot.id },
      payload: { brand: "Total", bottleSizeKg: 12.5, refillPriceXof: xof(5_200), newBottlePriceXof: xof(17_000), fullBottlesInStock: options.bottles ?? 4 }
    }), 201)
    return { owner, providerId: depot.id, name: depot.name, bottle: bottle.id }
  })

/** A product's stock as the public menu shows it (null: not counted). */
export const productStock = (api: Api, providerId: string, productId: string) =>
  Effect.gen(function*() {
    const menu = yield* ok(neloClient(api.url).providers.menu({ params: { providerId } }))
    const product = [...menu.categories.flatMap((category) => category.products), ...menu.uncategorized].find((candidate) => candidate.id === productId)
    assert.isDefined(product, `product ${productId} on the menu`)
    return product!.stock
  })

/** A bottle's full stock as the public menu shows it. */
export const bottleStock = (api: Api, providerId: string, gasProductId: string) =>
  Effect.gen(function*() {
    const menu = yield* ok(neloClient(api.url).providers.menu({ params: { providerId } }))
    const bottle = menu.gasBrands.flatMap((brand) => brand.bottles).find((candidate) => candidate.id === gasProductId)
    assert.isDefined(bottle, `bottle ${gasProductId} on the menu`)
    return bottle!.fullBottlesInStock
  })

/**
 * A product's or a bottle's stock as stored (null: not counted), whatever the menu cache holds.
 * Needs SqlClient.
 */
export const storedStock = (kind: "product" | "gas", id: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = kind === "product"
      ? yield* sql<{ stock: number | null }>`SELECT stock FROM catalogue.products WHERE id = ${id}`
      : yield* sql<{ stock: number | null }>`SELECT full_bottles_in_stock AS stock FROM catalogue.gas_products WHERE id = ${id}`
    assert.lengthOf(rows, 1, `${kind} ${id} stored`)
    return rows[0]!.stock
  })

export interface CustomerOptions {
  /** Francs brought in by a real Wave top-up (implies a PIN); none by default. */
  readonly funds?: number
  /** A PIN (set through the API); implied by funds. */
  readonly pin?: boolean
  /** Where the address is; the Prof quartier by default. */
  readonly at?: Place
}

/**
 * A customer through the app: registered (their own client IP), optionally with a PIN and money, and
 * one address added over HTTP. `api` is their typed client; `request` sends raw JSON from their device.
 * Needs SqlClient (for the top-up's checks).
 */
export const customerOf = (bed: Testbed, options: CustomerOptions = {}) =>
  Effect.gen(function*() {
    const person = options.funds !== undefined
      ? yield* fundedPerson(bed, options.funds)
      : options.pin === true
      ? yield* personWithPin(bed.api)
      : yield* Effect.gen(function*() {
        const { as, request, registered } = client(bed.api)
        const account = yield* registered()
        return { userId: account.user.id, token: account.accessToken, api: as(account.accessToken), request, pin: undefined as string | undefined }
      })
    const at = options.at ?? places.prof
    const address = yield* ok(person.api.users.addAddress({ payload: { label: "Maison", location: at, landmark: "portail bleu après la mosquée" } }), 201)
    assert.isNotNull(address.zone, `the address at ${JSON.stringify(at)} is in a zone`)
    return { userId: person.userId, token: person.token, api: person.api as NeloClient, request: person.request, pin: person.pin, address, addressId: address.id, at }
  })

export type Customer = Effect.Success<ReturnType<typeof customerOf>>

/** Another address of a customer (over HTTP), at `at`. */
export const addAddress = (customer: Customer, at: Place, label = "Bureau") =>
  ok(customer.api.users.addAddress({ payload: { label, location: at, landmark: "en face du lycée" } }), 201)

export type PlacePayload = Parameters<NeloClient["orders"]["place"]>[0]["payload"]
export type QuotePayload = Parameters<NeloClient["orders"]["quote"]>[0]["payload"]
export type CartItems = QuotePayload["items"]

/** Garba (size, side) × quantity. */
export const garbaItem = (shop: Restaurant, quantity: number, size: "normal" | "large" = "normal", side: "attieke" | "alloco" = "attieke") =>
  ({ productId: shop.garba.id, quantity, options: [shop.garba[size], shop.garba[side]] })

/** A wallet order's payload (PIN, fresh key) to `shop` at the customer's address; `extra` overrides. */
export const walletOrder = (shop: { readonly providerId: string }, customer: Customer, items: CartItems, extra: Partial<PlacePayload> = {}): PlacePayload => ({
  providerId: shop.providerId,
  addressId: customer.addressId,
  items,
  paymentMethod: "wallet",
  ...(customer.pin === undefined ? {} : { pin: customer.pin }),
  idempotencyKey: orderKey(),
  ...extra
})

/** A cash order's payload (fresh key); `extra` overrides. */
export const cashOrder = (shop: { readonly providerId: string }, customer: Customer, items: CartItems, extra: Partial<PlacePayload> = {}): PlacePayload => ({
  providerId: shop.providerId,
  addressId: customer.addressId,
  items,
  paymentMethod: "cash",
  idempotencyKey: orderKey(),
  ...extra
})

/** Places an order and expects 201: the order's view. */
export const placed = (customer: Customer, payload: PlacePayload) => ok(customer.api.orders.place({ payload }), 201)

/** The customer's own orders (GET /orders, up to 50). */
export const ordersOf = (customer: Customer, query: Parameters<NeloClient["orders"]["list"]>[0]["query"] = { limit: 50 }) =>
  ok(customer.api.orders.list({ query }))

/** The wallet balance through GET /wallet. */
export const balance = (customer: Customer) => Effect.map(ok(customer.api.wallet.overview()), (wallet) => wallet.balanceXof)

/** The balance of a provider's orders escrow in the ledger (0 when it has none yet). Needs SqlClient. */
export const escrowOf = (providerId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ balance: string }>`SELECT balance_xof::text AS balance FROM wallet.accounts WHERE kind = 'orders_escrow' AND owner_id = ${providerId}`
    return Number(rows[0]?.balance ?? 0)
  })

/** Ledger transactions keyed on an order (its payment, its refund). Needs SqlClient. */
export const ledgerOfOrder = (orderId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ key: string; type: string }>`
      SELECT idempotency_key AS key, type FROM wallet.transactions WHERE idempotency_key IN (${`order-payment:${orderId}`}, ${`order-refund:${orderId}`}) ORDER BY created_at`
    return rows.map((row) => `${row.type}:${row.key.split(":")[0]}`)
  })

/** The outbox events of an order, in order: `type` and the payload's status and payment status. Needs SqlClient. */
export const eventsOfOrder = (orderId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ type: string; status: string; paymentStatus: string }>`
      SELECT type, payload->>'status' AS status, payload->>'paymentStatus' AS payment_status
      FROM events.outbox WHERE aggregate_type = 'order' AND aggregate_id = ${orderId} AND type LIKE 'order.%' ORDER BY sequence`
    return rows.map((row) => `${row.type} ${row.status}/${row.paymentStatus}`)
  })

/** The SMS written with an order's changes, in order: to whom and what. Needs SqlClient. */
export const smsOfOrder = (orderId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<{ to: string; body: string }>`
      SELECT payload->>'to' AS to, payload->>'body' AS body
      FROM events.outbox WHERE aggregate_type = 'order' AND aggregate_id = ${orderId} AND type = 'notification.requested'
        AND payload->>'channel' = 'sms' ORDER BY sequence`
  })

/** The pushes written with an order's changes, in order: to whom, what, the change they name, and the SMS fallback. Needs SqlClient. */
export const pushesOfOrder = (orderId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<{ userId: string; title: string; body: string; kind: string; fallbackPhone: string | null }>`
      SELECT payload->>'userId' AS user_id, payload->>'title' AS title, payload->>'body' AS body,
        payload->'data'->>'kind' AS kind, payload->>'fallbackPhone' AS fallback_phone
      FROM events.outbox WHERE aggregate_type = 'order' AND aggregate_id = ${orderId} AND type = 'notification.requested'
        AND payload->>'channel' = 'push' ORDER BY sequence`
  })

/** How many orders a customer has in the store (whatever the API shows). Needs SqlClient. */
export const storedOrdersOf = (customerId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ count: number }>`SELECT count(*)::int AS count FROM orders.orders WHERE customer_id = ${customerId}`
    return rows[0]!.count
  })

/** An admin (roles client and admin) and their typed client. Needs SqlClient. */
export const adminOf = (api: Api) =>
  Effect.gen(function*() {
    const account = yield* accountWithRoles(api, ["client", "admin"])
    return { ...account, api: neloClient(api.url, { token: account.token }) }
  })

export type Admin = Effect.Success<ReturnType<typeof adminOf>>

export type PromotionPayload = Parameters<NeloClient["ordersAdmin"]["createPromotion"]>[0]["payload"]

/** A code promotion's terms: 20 % off from 2,000 F, 5 uses, started a minute ago, for one provider; `extra` overrides. */
export const codePromotion = (providerId: string | null, extra: Partial<PromotionPayload> = {}): PromotionPayload => ({
  code: uniqueCode(),
  label: "-20 % au maquis",
  benefit: { kind: "percent_off", basisPoints: 2_000 },
  minimumSubtotalXof: 2_000,
  maximumDiscountXof: null,
  startsAt: new Date(Date.now() - 60_000),
  endsAt: null,
  maximumUses: 5,
  budgetXof: null,
  perCustomerLimit: null,
  firstOrderOnly: false,
  providerId,
  fundedBy: "platform",
  ...extra
})

/** Runs `count` effects at most `concurrency` at a time: to make a crowd without flooding the machine. */
export const crowd = <A, E, R>(count: number, make: (index: number) => Effect.Effect<A, E, R>, concurrency = 10) =>
  Effect.all(Array.from({ length: count }, (_, index) => make(index)), { concurrency })
