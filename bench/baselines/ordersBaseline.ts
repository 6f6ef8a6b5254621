// The bare counterpart of the API's POST /api/v1/orders (a wallet order) and
// GET /api/v1/orders/{id}/tracking: a plain node:http server doing, per request, what the API does
// with the same drivers (pg through @effect/sql-pg with the API's pool settings, ioredis, jose),
// the same SQL statements in the same order and transaction (read from Postgres's log with
// log_statement = 'all' while the API placed orders, see BENCHMARKS.md "Orders"), the same Redis
// commands, the domain's own pure rules, and the same JSON; without router, middleware, schemas
// (no request validation beyond the shapes, no row decoding, no response encoding) or logging.
//
// POST /api/v1/orders (placeOrder.ts makePlaceOrder, wallet payment):
//   1. the bearer JWT verified (jose, HS256, key by kid, issuer, audience, expiry) and the
//      revocation MGET (Redis), as AuthenticationLive does;
//   2. the request's digest (HMAC-SHA256, AuthCryptoNode.digest of placeOrder's requestText);
//      the delivery code drawn after the quote, as AuthCryptoNode.newOtpCode draws it (no statement);
//   3. SELECT of an order with this key (findByKey);
//   4. the PIN (pin.ts makeVerifyPin): SELECT pin_hash, the keyed digest compared, the rate
//      limiter's attempt script by EVAL (the text of RateLimiterRedis.ts, checked at start-up);
//   5. the quote (quoteCart.ts), concurrently as Effect.all does: the provider, the whole menu
//      (categories, products, gas products), the customer's addresses, the delivery fee bands; the
//      domain's providerAt and priceCart; SELECT of the promotion by code and the domain's
//      promotionRefusal, usageRefusal, discountOf (without a code: SELECT of the automatic
//      promotions and the domain's bestAutomatic);
//   6. one transaction: the order, its change and the provider's feed position (one statement);
//      per item a savepoint with the stock row locked and, when counted, decremented; a savepoint
//      with the promotion locked, the customer's uses counted, the use inserted, the promotion
//      updated; the KYC status; a savepoint with the two accounts locked, the key and outflow read,
//      the domain's checkOutflow and applyPostings, the transaction, postings and balances written;
//      the provider and its owner read again for the notice (orderNotices.ts), the outbox rows
//      (order.created and the notices: orderChangedEvent, orderNotices); COMMIT;
//   7. after the commit, the feed published on two channels (one pipeline) and the menu's version
//      bumped (CatalogueCacheRedis.invalidateMenu); the answer is the API's own orderView.
//   Account ids (the wallet, the escrow) are cached per process once committed, as LedgerPostgres does.
// GET /api/v1/orders/{id}/tracking (readOrders.ts tracking): the JWT and the MGET, SELECT of the
//   order, the viewer's right to see it (its customer; else its provider's owner), SELECT of its
//   changes, the API's own trackingView (the delivery code in it for the order's customer only).
import { createHmac, randomInt, timingSafeEqual } from "node:crypto"
import { readFileSync } from "node:fs"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { fileURLToPath } from "node:url"
import { PgClient } from "@effect/sql-pg"
import { Effect, Exit, Layer, Redacted, Result, Scope, String as Str } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { errors, type JWTHeaderParameters, jwtVerify } from "jose"
import { Redis } from "ioredis"
import { verify as argon2Verify } from "argon2"
import { AuthPolicyFromConfig } from "@nelo/adapters/auth/AuthPolicyFromConfig"
import { AuthSecretsConfig } from "@nelo/adapters/auth/AuthSecretsConfig"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { OrderPolicyFromConfig } from "@nelo/adapters/orders/OrderPolicyFromConfig"
import { toProvider } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import { WalletPolicyFromConfig } from "@nelo/adapters/wallet/WalletPolicyFromConfig"
import { AuthPolicy } from "@nelo/domain/auth/AuthPolicy"
import type { StoredMenu } from "@nelo/domain/catalogue/MenuRepository"
import { providerAt } from "@nelo/domain/catalogue/openingState"
import type { GasProduct, Product } from "@nelo/domain/catalogue/Product"
import { canManageProvider } from "@nelo/domain/catalogue/Provider"
import { applyStockChange } from "@nelo/domain/catalogue/stockChange"
import { orderChangedEvent } from "@nelo/domain/orders/applyDecision"
import type { Cart, CartItem } from "@nelo/domain/orders/Cart"
import type { CartProblem } from "@nelo/domain/orders/CartProblem"
import { defaultDeliveryFeeSchedule, type DeliveryFeeSchedule } from "@nelo/domain/orders/DeliveryFeeSchedule"
import { deliveryCodeLength, type Order, type OrderChange, type OrderTotals } from "@nelo/domain/orders/Order"
import { orderNotices } from "@nelo/domain/orders/orderNotices"
import { deliveryRadiusOf, OrderPolicy } from "@nelo/domain/orders/OrderPolicy"
import { stockMoves } from "@nelo/domain/orders/orderStock"
import { priceCart } from "@nelo/domain/orders/priceCart"
import { normalizePromotionCode, type Promotion } from "@nelo/domain/orders/Promotion"
import { bestAutomatic, discountOf, promotionRefusal, usageRefusal } from "@nelo/domain/orders/promotionRules"
import { type Xof, xof } from "@nelo/domain/shared/Xof"
import type { Address } from "@nelo/domain/users/Address"
import type { UserId } from "@nelo/domain/users/User"
import type { Account } from "@nelo/domain/wallet/Account"
import { periodStarts } from "@nelo/domain/wallet/calendarPeriods"
import { applyPostings, lockOrder } from "@nelo/domain/wallet/ledgerRules"
import { checkOutflow, countsAsOutflow, outflowFrom, outflowInstants } from "@nelo/domain/wallet/outflowLimits"
import { WalletPolicy } from "@nelo/domain/wallet/WalletPolicy"
import { orderView, trackingView } from "../../apps/http/src/orders/views.ts"
import { deliveryColumns } from "../../packages/adapters/src/postgres/DeliveryRepositoryPostgres.ts"

const port = Number(process.env["HTTP_PORT"] ?? "8001")
const host = process.env["HTTP_HOST"] ?? "127.0.0.1"
const databaseUrl = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/nelo"
const redisUrl = process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379"
const redisKeyPrefix = process.env["REDIS_KEY_PREFIX"] ?? "nelo"
// The API's DATABASE_POOL_MAX default, so both servers have the same number of connections.
const poolMax = Number(process.env["DATABASE_POOL_MAX"] ?? "10")
const maxBodyBytes = 64 * 1024

// ---------------------------------------------------------------------------------------------
// Configuration, read once as the API reads it.

const { keys, digestSecret } = await Effect.runPromise(AuthSecretsConfig)
const digestKey = Buffer.from(Redacted.value(digestSecret))
const keyFor = (header: JWTHeaderParameters) => {
  const key = header.kid === undefined ? undefined : keys.get(header.kid)
  if (!key) throw new errors.JWKSNoMatchingKey()
  return key
}
const { authPolicy, walletPolicy, orderPolicy } = await Effect.runPromise(Effect.gen(function*() {
  return { authPolicy: yield* AuthPolicy, walletPolicy: yield* WalletPolicy, orderPolicy: yield* OrderPolicy }
}).pipe(Effect.provide(Layer.mergeAll(AuthPolicyFromConfig, WalletPolicyFromConfig, OrderPolicyFromConfig))))

// AuthCryptoNode.digest and sameDigest.
const digest = (value: string) => createHmac("sha256", digestKey).update(value).digest("hex")
const hexDigest = /^(?:[0-9a-f]{2})+$/u
const sameDigest = (left: string, right: string) =>
  left.length === right.length && hexDigest.test(left) && hexDigest.test(right) && timingSafeEqual(Buffer.from(left, "hex"), Buffer.from(right, "hex"))

// ---------------------------------------------------------------------------------------------
// The rate limiter's attempt script, word for word (RateLimiterRedis.ts attemptScript), sent by
// EVAL as the adapter sends it; start-up fails if the adapter's text differs.
const attemptScript = `
local cooling = redis.call('PTTL', KEYS[2])
if cooling > 0 then return {0, cooling} end
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if count > tonumber(ARGV[2]) then return {1, count} end
if ARGV[4] == '1' then
  redis.call('DEL', KEYS[1])
  return {2, 0}
end
if count == tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {4, 0}
end
return {3, count}`
const limiterSource = readFileSync(fileURLToPath(new URL("../../packages/adapters/src/redis/RateLimiterRedis.ts", import.meta.url)), "utf8")
if (/const attemptScript = `([^`]*)`/u.exec(limiterSource)?.[1] !== attemptScript) {
  process.stderr.write("ordersBaseline: RateLimiterRedis.ts's attempt script is not the one copied here: update the baseline\n")
  process.exit(1)
}

// placeOrder.ts requestText, word for word (not exported there).
const requestText = (input: { readonly providerId: string; readonly addressId: string; readonly paymentMethod: string; readonly promoCode: string | null; readonly note: string | null; readonly items: ReadonlyArray<CartItem> }) =>
  JSON.stringify([input.providerId, input.addressId, input.paymentMethod, input.promoCode, input.note, input.items.map((item) =>
    "gasProductId" in item ? ["gas", item.gasProductId, item.quantity, item.sale] : ["product", item.productId, item.quantity, [...item.options].sort()])])

// ---------------------------------------------------------------------------------------------
// Postgres and Redis, with the API's settings.

const poolScope = await Effect.runPromise(Scope.make())
const sql = await Effect.runPromise(
  PgClient.make({
    url: Redacted.make(databaseUrl),
    maxConnections: poolMax,
    applicationName: "nelo-bench-baseline",
    transformResultNames: Str.snakeToCamel,
    transformQueryNames: Str.camelToSnake,
    transformJson: false
  }).pipe(Scope.provide(poolScope), Effect.provide(Reactivity.layer))
)
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)

// Same connection settings as the API's RedisClient: fail at once rather than queue while down.
const redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 })
redis.on("error", () => {})
await redis.connect()
const redisKey = (...parts: ReadonlyArray<string>) => [redisKeyPrefix, ...parts].join(":")

// The statements' column lists, as the adapters write them.
const orderCols = sql.literal(`id, reference, customer_id, provider_id, status, payment_method, payment_status, lines,
  subtotal_xof, delivery_fee_xof, discount_xof, total_xof, promotion, pickup, destination, distance_m, note,
  preparation_minutes, cancellation, idempotency_key, request_digest, delivery_code, created_at, updated_at`)
const deliveryCols = sql.literal(deliveryColumns)
const changeCols = sql.literal(`id::float8 AS id, position::float8 AS position, order_id, change, from_status AS "from", to_status AS "to",
  jsonb_build_object('kind', actor_kind, 'id', actor_id) AS actor, reason, at`)
const providerCols = sql.literal(`p.id, p.owner_id, p.type, p.name, p.description,
    ST_Y(p.location::geometry) AS lat, ST_X(p.location::geometry) AS lng, p.landmark,
    p.zone_id, z.slug AS zone_slug, z.name AS zone_name,
    p.time_zone, p.weekly_hours, p.hour_exceptions, p.paused, p.rating_sum, p.rating_count`)
const userCols = sql.literal("id, phone, full_name, email, language, roles, referral_code, referred_by, password_hash IS NOT NULL AS has_password, pin_hash IS NOT NULL AS has_pin, avatar_key, created_at")
const promotionCols = sql.literal(`id, code, label, benefit, minimum_subtotal_xof, maximum_discount_xof, starts_at, ends_at, maximum_uses,
  budget_xof, per_customer_limit, first_order_only, provider_id, funded_by, active, uses_count, discount_total_xof, created_at, updated_at`)
const accountCols = sql.literal("id, kind, owner_id, gateway, balance_xof, frozen_reason, frozen_by_kind, frozen_by_id, frozen_at, last_unfrozen_at")
const productColumns = "id, provider_id, category_id, name, description, price_xof, available, stock, option_groups, photo_key, position"
const productCols = sql.literal(productColumns.split(", ").map((column) => `p.${column}`).join(", "))
const gasCols = sql.literal("id, provider_id, brand, bottle_size_kg::float8 AS bottle_size_kg, refill_price_xof, new_bottle_price_xof, full_bottles_in_stock, available")
const nextPosition = sql.literal(`fed AS (
    INSERT INTO orders.provider_feeds (provider_id, position) SELECT provider_id, 1 FROM written
    ON CONFLICT (provider_id) DO UPDATE SET position = orders.provider_feeds.position + 1
    RETURNING provider_id, position
  )`)

// ---------------------------------------------------------------------------------------------
// Rows as the statements return them (names camelCased by the pool).

interface OrderRow {
  readonly id: string
  readonly reference: string
  readonly customerId: string
  readonly providerId: string
  readonly status: Order["status"]
  readonly paymentMethod: Order["paymentMethod"]
  readonly paymentStatus: Order["paymentStatus"]
  readonly lines: Order["lines"]
  readonly subtotalXof: bigint
  readonly deliveryFeeXof: bigint
  readonly discountXof: bigint
  readonly totalXof: bigint
  readonly promotion: Order["promotion"]
  readonly pickup: Order["pickup"]
  readonly destination: Order["destination"]
  readonly distanceM: number
  readonly note: string | null
  readonly preparationMinutes: number | null
  readonly cancellation: Order["cancellation"]
  readonly idempotencyKey: string
  readonly requestDigest: string
  readonly deliveryCode: string
  readonly createdAt: Date
  readonly updatedAt: Date
}
type ChangeRow = OrderChange
interface AccountRow {
  readonly id: string
  readonly kind: Account["kind"]
  readonly ownerId: string | null
  readonly gateway: Account["gateway"]
  readonly balanceXof: bigint
  readonly frozenAt: Date | null
}
interface PromotionRow extends Omit<Promotion, "minimumSubtotalXof" | "maximumDiscountXof" | "budgetXof" | "discountTotalXof"> {
  readonly minimumSubtotalXof: bigint
  readonly maximumDiscountXof: bigint | null
  readonly budgetXof: bigint | null
  readonly discountTotalXof: bigint
}

const toOrder = (row: OrderRow): Order => ({
  id: row.id,
  reference: row.reference,
  customerId: row.customerId,
  providerId: row.providerId,
  status: row.status,
  lines: row.lines,
  totals: { subtotalXof: xof(Number(row.subtotalXof)), deliveryFeeXof: xof(Number(row.deliveryFeeXof)), discountXof: xof(Number(row.discountXof)), totalXof: xof(Number(row.totalXof)) },
  promotion: row.promotion,
  paymentMethod: row.paymentMethod,
  paymentStatus: row.paymentStatus,
  pickup: row.pickup,
  destination: row.destination,
  distanceM: row.distanceM,
  note: row.note,
  preparationMinutes: row.preparationMinutes,
  cancellation: row.cancellation,
  idempotencyKey: row.idempotencyKey,
  requestDigest: row.requestDigest,
  deliveryCode: row.deliveryCode,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt
})

const toPromotion = (row: PromotionRow): Promotion => ({
  ...row,
  minimumSubtotalXof: xof(Number(row.minimumSubtotalXof)),
  maximumDiscountXof: row.maximumDiscountXof === null ? null : xof(Number(row.maximumDiscountXof)),
  budgetXof: row.budgetXof === null ? null : xof(Number(row.budgetXof)),
  discountTotalXof: xof(Number(row.discountTotalXof))
})

const toAddress = (row: { id: string; userId: string; label: string; lat: number; lng: number; landmark: string; isDefault: boolean; zoneId: string | null; zoneSlug: string | null; zoneName: string | null; createdAt: Date; updatedAt: Date }): Address => ({
  id: row.id,
  userId: row.userId as UserId,
  label: row.label,
  location: { lat: row.lat, lng: row.lng },
  landmark: row.landmark,
  isDefault: row.isDefault,
  zone: row.zoneId === null ? null : { id: row.zoneId, slug: row.zoneSlug!, name: row.zoneName! },
  createdAt: row.createdAt,
  updatedAt: row.updatedAt
})

// ---------------------------------------------------------------------------------------------
// The ledger's accounts: ids cached once committed (LedgerPostgres's wallets and escrows maps).

const wallets = new Map<string, string>()
const escrows = new Map<string, string>()

/** Finds (or opens) an account inside the current transaction, as LedgerPostgres.openAccount does. */
const openAccount = (kind: "customer_wallet" | "orders_escrow", ownerId: string) =>
  Effect.gen(function*() {
    // The kind as a parameter, as LedgerPostgres's ownedAccount asks it.
    const find = () => sql<AccountRow>`SELECT ${accountCols} FROM wallet.accounts WHERE kind = ${kind} AND owner_id = ${ownerId}`
    const found = yield* find()
    if (found[0] !== undefined) return found[0].id
    const id = uuidV7(Date.now())
    yield* sql`INSERT INTO wallet.accounts (id, kind, owner_id, gateway) VALUES (${id}, ${kind}, ${ownerId}::uuid, ${null}) ON CONFLICT DO NOTHING`
    const opened = yield* find()
    if (opened[0] === undefined) return yield* Effect.die(new Error(`the ${kind} account could not be opened`))
    return opened[0].id
  })

// ---------------------------------------------------------------------------------------------
// HTTP plumbing.

const answer = (response: ServerResponse, status: number, value: unknown) => {
  const body = JSON.stringify(value)
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
  response.end(body)
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    request.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) reject(new Error("body too large"))
      else chunks.push(chunk)
    })
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    request.on("error", reject)
  })

const unauthorized = { code: "unauthenticated", message: "Connectez-vous pour continuer." }

/** The bearer's claims, or undefined (then the answer was sent). */
const authenticate = async (request: IncomingMessage, response: ServerResponse) => {
  const authorization = request.headers.authorization
  if (authorization === undefined || !authorization.startsWith("Bearer ")) return void answer(response, 401, unauthorized)
  let claims: { readonly sub: string; readonly sid: string; readonly jti: string; readonly roles: ReadonlyArray<string> }
  try {
    const { payload } = await jwtVerify(authorization.slice(7), keyFor, { algorithms: ["HS256"], issuer: "nelo", audience: "nelo-api", currentDate: new Date() })
    const { sub, roles, sid, jti, exp } = payload as Record<string, unknown>
    if (typeof sub !== "string" || !Array.isArray(roles) || typeof sid !== "string" || typeof jti !== "string" || typeof exp !== "number") return void answer(response, 401, unauthorized)
    claims = { sub, sid, jti, roles: roles as ReadonlyArray<string> }
  } catch {
    return void answer(response, 401, unauthorized)
  }
  const revoked = await redis.mget(redisKey("revoked", "token", claims.jti), redisKey("revoked", "session", claims.sid))
  if (revoked.some((value) => value !== null)) return void answer(response, 401, unauthorized)
  return claims
}

class Refusal {
  readonly status: number
  readonly body: unknown
  constructor(status: number, body: unknown) {
    this.status = status
    this.body = body
  }
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/orders

const idempotencyKeyPattern = /^[A-Za-z0-9_.:-]{8,100}$/u
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const keyedPrefix = "hmac-sha256:"

interface PlacePayload {
  readonly providerId: string
  readonly addressId: string
  readonly items: ReadonlyArray<{ readonly productId?: string; readonly gasProductId?: string; readonly quantity: number; readonly options?: ReadonlyArray<string>; readonly sale?: "refill" | "new" }>
  readonly promoCode?: string
  readonly paymentMethod: string
  readonly note?: string
  readonly pin?: string
  readonly idempotencyKey: string
}

const cartRefused = (problems: ReadonlyArray<CartProblem>) => new Refusal(422, { code: "cart_refused", message: "La commande ne peut pas être passée.", problems })

const place = async (request: IncomingMessage, response: ServerResponse) => {
  const claims = await authenticate(request, response)
  if (claims === undefined) return
  let payload: PlacePayload
  try {
    payload = JSON.parse(await readBody(request)) as PlacePayload
  } catch {
    return answer(response, 400, { code: "malformed_request", message: "Le corps de la requête est illisible." })
  }
  if (typeof payload.providerId !== "string" || typeof payload.addressId !== "string" || !Array.isArray(payload.items) || payload.items.length < 1 || payload.items.length > 30 ||
    typeof payload.idempotencyKey !== "string" || !idempotencyKeyPattern.test(payload.idempotencyKey) || payload.paymentMethod !== "wallet") {
    return answer(response, 422, { code: "invalid_request", message: "Requête invalide." })
  }
  const customerId = claims.sub as UserId
  const items: ReadonlyArray<CartItem> = payload.items.map((item) =>
    item.gasProductId !== undefined ? { gasProductId: item.gasProductId, quantity: item.quantity, sale: item.sale ?? "refill" } : { productId: item.productId!, quantity: item.quantity, options: item.options ?? [] })
  const input = {
    providerId: payload.providerId,
    addressId: payload.addressId,
    items,
    promoCode: payload.promoCode ?? null,
    paymentMethod: "wallet" as const,
    note: payload.note?.trim() || null,
    pin: payload.pin ?? null,
    idempotencyKey: payload.idempotencyKey
  }
  const requestDigest = digest(`order:v1:${requestText(input)}`)

  // An order already made with this key: the answer to a retry (none in the bench).
  const [earlier] = await run(sql<OrderRow>`SELECT ${orderCols} FROM orders.orders WHERE ${sql`customer_id = ${customerId} AND idempotency_key = ${input.idempotencyKey}`}`)
  if (earlier !== undefined) {
    return earlier.requestDigest === requestDigest ? answer(response, 201, orderView(toOrder(earlier), null, true)) : answer(response, 409, { code: "order_key_reused", message: "Clé déjà utilisée." })
  }

  // The PIN (pin.ts makeVerifyPin).
  if (input.pin === null) return answer(response, 422, { code: "pin_required", message: "Code PIN requis." })
  const [pinRow] = await run(sql<{ pinHash: string | null }>`SELECT pin_hash FROM users.users WHERE id = ${customerId}`)
  const stored = pinRow?.pinHash ?? null
  if (stored === null) return answer(response, 403, { code: "pin_not_set", message: "Code PIN non défini." })
  const countKey = redisKey("rate", `pin:failures:${customerId}`)
  const cooldownKey = redisKey("cooldown", `pin:locked:${customerId}`)
  let matches: boolean
  if (stored.startsWith(keyedPrefix)) {
    matches = sameDigest(stored.slice(keyedPrefix.length), digest(`pin:v1:${customerId}:${input.pin}`))
  } else {
    const locked = Math.max(0, await redis.pttl(cooldownKey))
    if (locked > 0) return answer(response, 429, { code: "too_many_requests", message: "Réessayez plus tard." })
    matches = await argon2Verify(stored, input.pin)
  }
  const lockMs = String(Math.max(1, Math.ceil(authPolicy.pinLockMs)))
  const [code] = await redis.eval(attemptScript, 2, countKey, cooldownKey, lockMs, String(authPolicy.pinMaxFailures), lockMs, matches ? "1" : "0") as [number, number]
  if (code !== 2) return answer(response, code === 3 ? 401 : 429, { code: code === 3 ? "pin_incorrect" : "too_many_requests", message: "Code PIN refusé." })
  if (!stored.startsWith(keyedPrefix)) await run(sql`UPDATE users.users SET pin_hash = ${`${keyedPrefix}${digest(`pin:v1:${customerId}:${input.pin}`)}`}, updated_at = now() WHERE id = ${customerId}`)

  // The quote (quoteCart.ts): four reads at once, as Effect.all with unbounded concurrency.
  const nowMs = Date.now()
  const [providerRows, menu, addressRows, feeRows] = await Promise.all([
    run(sql<Parameters<typeof toProvider>[0]>`
        SELECT ${providerCols} FROM catalogue.providers p LEFT JOIN geo.zones z ON z.id = p.zone_id
        WHERE p.id = ${input.providerId}`),
    run(Effect.gen(function*() {
      const categories = yield* sql<StoredMenu["categories"][number]>`
          SELECT id, provider_id, name, position FROM catalogue.categories WHERE provider_id = ${input.providerId} ORDER BY position, id`
      const products = yield* sql<Product>`
          SELECT ${productCols}
          FROM catalogue.products p LEFT JOIN catalogue.categories c ON c.id = p.category_id
          WHERE p.provider_id = ${input.providerId}
          ORDER BY c.position NULLS LAST, c.id, p.position, p.id`
      const gasProducts = yield* sql<GasProduct>`
          SELECT ${gasCols} FROM catalogue.gas_products WHERE provider_id = ${input.providerId}
          ORDER BY brand COLLATE "C", bottle_size_kg, id`
      return { categories, products, gasProducts } satisfies StoredMenu
    })),
    run(sql<Parameters<typeof toAddress>[0]>`
    SELECT a.id, a.user_id, a.label, ST_Y(a.location::geometry) AS lat, ST_X(a.location::geometry) AS lng,
           a.landmark, a.is_default, a.zone_id, z.slug AS zone_slug, z.name AS zone_name, a.created_at, a.updated_at
    FROM users.addresses a LEFT JOIN geo.zones z ON z.id = a.zone_id
    WHERE ${sql.and([sql`a.user_id = ${customerId}`])}
    ORDER BY a.is_default DESC, a.updated_at DESC`),
    run(sql<{ schedule: DeliveryFeeSchedule }>`SELECT schedule FROM orders.delivery_fee_schedules ORDER BY id DESC LIMIT 1`)
  ])
  const provider = providerRows[0] === undefined ? null : toProvider(providerRows[0])
  const address = addressRows.map(toAddress).find((candidate) => candidate.id === input.addressId) ?? null
  const cart: Cart = { providerId: input.providerId, items, addressId: input.addressId, promoCode: input.promoCode, paymentMethod: "wallet" }
  const priced = priceCart({
    cart,
    provider: provider === null ? null : providerAt(provider, nowMs),
    menu: provider === null ? { categories: [], products: [], gasProducts: [] } : menu,
    address,
    radiusM: deliveryRadiusOf(orderPolicy, input.providerId),
    feeSchedule: feeRows[0]?.schedule ?? defaultDeliveryFeeSchedule
  })
  const problems: Array<CartProblem> = [...priced.problems]
  let promotion: Promotion | null = null
  if (input.promoCode === null) {
    // No code: the best automatic promotion (quoteCart.ts choosePromotion).
    const automatic = ((await run(sql<PromotionRow>`
        SELECT ${promotionCols} FROM orders.promotions
        WHERE active AND code IS NULL AND (provider_id IS NULL ${sql`OR provider_id = ${input.providerId}`})
        ORDER BY id`))).map(toPromotion)
    if (automatic.length > 0) {
      const [counted] = automatic.some((candidate) => candidate.firstOrderOnly)
        ? await run(sql<{ count: number }>`
        SELECT count(*)::integer AS count FROM orders.orders WHERE customer_id = ${customerId} AND status <> 'cancelled'`)
        : [{ count: 0 }]
      const context = { nowMs, providerId: input.providerId, subtotalXof: priced.subtotalXof, deliveryFeeXof: priced.deliveryFeeXof, customerOrdersBefore: counted?.count ?? 0 }
      promotion = bestAutomatic(automatic.filter((candidate) => usageRefusal(candidate, { usesCount: candidate.usesCount, discountTotalXof: candidate.discountTotalXof, customerUses: 0 }, discountOf(candidate, priced.subtotalXof, priced.deliveryFeeXof)) === undefined), context) ?? null
    }
  } else {
    const code = normalizePromotionCode(input.promoCode)
    const [row] = await run(sql<PromotionRow>`SELECT ${promotionCols} FROM orders.promotions WHERE code = ${code}`)
    if (row === undefined) problems.push({ _tag: "PromotionRefused", code, reason: "unknown_code", minimumSubtotalXof: null })
    else {
      const found = toPromotion(row)
      const context = { nowMs, providerId: input.providerId, subtotalXof: priced.subtotalXof, deliveryFeeXof: priced.deliveryFeeXof, customerOrdersBefore: 0 }
      const reason = promotionRefusal(found, context) ??
        usageRefusal(found, { usesCount: found.usesCount, discountTotalXof: found.discountTotalXof, customerUses: 0 }, discountOf(found, priced.subtotalXof, priced.deliveryFeeXof))
      if (reason !== undefined) problems.push({ _tag: "PromotionRefused", code, reason, minimumSubtotalXof: reason === "below_minimum" ? found.minimumSubtotalXof : null })
      else promotion = found
    }
  }
  if (problems.length > 0 || provider === null || address === null) return answer(response, 422, { code: "cart_refused", message: "La commande ne peut pas être passée.", problems })
  const discountXof = promotion === null ? xof(0) : discountOf(promotion, priced.subtotalXof, priced.deliveryFeeXof)
  const totals: OrderTotals = { subtotalXof: priced.subtotalXof, deliveryFeeXof: priced.deliveryFeeXof, discountXof, totalXof: xof(priced.subtotalXof + priced.deliveryFeeXof - discountXof) }

  const now = new Date(nowMs)
  // AuthCryptoNode.newOtpCode: one CSPRNG digit at a time.
  const deliveryCode = Array.from({ length: deliveryCodeLength }, () => randomInt(10)).join("")
  const order: Order = {
    id: uuidV7(nowMs),
    reference: `ORD-${Array.from({ length: 8 }, () => crockford[randomInt(crockford.length)]).join("")}`,
    customerId,
    providerId: provider.id,
    status: "pending",
    lines: priced.lines,
    totals,
    promotion: promotion === null ? null : { promotionId: promotion.id, code: promotion.code, discountXof, fundedBy: promotion.fundedBy },
    paymentMethod: "wallet",
    paymentStatus: "paid",
    pickup: { name: provider.name, location: provider.location, landmark: provider.landmark },
    destination: { addressId: address.id, label: address.label, location: address.location, landmark: address.landmark, zone: address.zone! },
    distanceM: priced.distanceM ?? 0,
    note: input.note,
    preparationMinutes: null,
    cancellation: null,
    idempotencyKey: input.idempotencyKey,
    requestDigest,
    deliveryCode,
    createdAt: now,
    updatedAt: now
  }
  const json = (value: unknown) => value === null ? null : sql.json(value)

  // The transaction (placeOrder.ts write): everything below commits together or not at all.
  const written = await run(sql.withTransaction(Effect.gen(function*() {
    const [change] = yield* sql<ChangeRow>`
          WITH written AS (
            INSERT INTO orders.orders ${sql.insert({
              id: order.id,
              reference: order.reference,
              customerId: order.customerId,
              providerId: order.providerId,
              status: order.status,
              paymentMethod: order.paymentMethod,
              paymentStatus: order.paymentStatus,
              lines: sql.json(order.lines),
              subtotalXof: order.totals.subtotalXof,
              deliveryFeeXof: order.totals.deliveryFeeXof,
              discountXof: order.totals.discountXof,
              totalXof: order.totals.totalXof,
              promotion: json(order.promotion),
              pickup: sql.json(order.pickup),
              destination: sql.json(order.destination),
              distanceM: order.distanceM,
              note: order.note,
              preparationMinutes: order.preparationMinutes,
              cancellation: json(order.cancellation),
              idempotencyKey: order.idempotencyKey,
              requestDigest: order.requestDigest,
              deliveryCode: order.deliveryCode,
              createdAt: order.createdAt,
              updatedAt: order.updatedAt
            })} ON CONFLICT DO NOTHING RETURNING id, provider_id
          ), ${nextPosition}
          INSERT INTO orders.changes (order_id, provider_id, position, change, from_status, to_status, actor_kind, actor_id, reason, at)
          SELECT written.id, written.provider_id, fed.position, ${sql`${"created"}, ${null}, ${"pending"}, ${"customer"}, ${customerId}, ${null}, ${now}`} FROM written JOIN fed USING (provider_id)
          RETURNING ${changeCols}`
    // A concurrent attempt with the same key (or a reference drawn twice): the bench sends neither.
    if (change === undefined) return yield* Effect.fail(new Refusal(503, { code: "service_unavailable", message: "Réessayez." }))

    // Stock (orderStock.ts reserve): one savepoint per item, its row locked, decremented when counted.
    for (const move of stockMoves(order.lines)) {
      const refused = yield* sql.withTransaction(Effect.gen(function*() {
        const [locked] = yield* sql<{ stock: number | null }>`
        SELECT stock AS stock FROM catalogue.products WHERE provider_id = ${order.providerId} AND id = ${move.id} FOR NO KEY UPDATE`
        if (locked === undefined) return cartRefused([{ _tag: "ItemNotFound", line: move.line }])
        const outcome = applyStockChange({ _tag: "Adjust", by: -move.quantity })(locked.stock)
        if (outcome._tag === "BelowZero") return cartRefused([{ _tag: "OutOfStock", line: move.line, name: move.name, availableQuantity: outcome.stock }])
        if (outcome._tag === "Changed") {
          yield* sql`UPDATE catalogue.products SET stock = ${outcome.stock}::integer, updated_at = ${now} WHERE provider_id = ${order.providerId} AND id = ${move.id}`
        }
        return undefined
      }))
      if (refused !== undefined) return yield* Effect.fail(refused)
    }

    // The promotion's use (PromotionRepositoryPostgres.recordUse): under its row lock.
    if (order.promotion !== null) {
      const used = order.promotion
      const refusal = yield* sql.withTransaction(Effect.gen(function*() {
        const [row] = yield* sql<PromotionRow>`SELECT ${promotionCols} FROM orders.promotions WHERE id = ${used.promotionId} FOR UPDATE`
        if (row === undefined) return "unknown_code" as const
        const locked = toPromotion(row)
        const [mine] = yield* sql<{ count: number }>`
          SELECT count(*)::integer AS count FROM orders.promotion_uses
          WHERE promotion_id = ${locked.id} AND customer_id = ${customerId} AND released_at IS NULL`
        const reason = usageRefusal(locked, { usesCount: locked.usesCount, discountTotalXof: locked.discountTotalXof, customerUses: mine?.count ?? 0 }, used.discountXof)
        if (reason !== undefined) return reason
        yield* sql`INSERT INTO orders.promotion_uses ${sql.insert({ orderId: order.id, promotionId: locked.id, customerId, discountXof: used.discountXof, at: now })}`
        yield* sql`
          UPDATE orders.promotions SET uses_count = uses_count + 1, discount_total_xof = discount_total_xof + ${used.discountXof}
          WHERE id = ${locked.id}`
        return undefined
      }))
      if (refusal !== undefined) return yield* Effect.fail(cartRefused([{ _tag: "PromotionRefused", code: used.code!, reason: refusal, minimumSubtotalXof: null }]))
    }

    // The payment (payFromWallet.ts and LedgerPostgres.post): the escrow, then the wallet and the KYC level at once.
    const escrowId = escrows.get(provider.id) ?? (yield* openAccount("orders_escrow", provider.id))
    const [walletId, level] = yield* Effect.all([
      Effect.suspend(() => {
        const cached = wallets.get(customerId)
        return cached !== undefined ? Effect.succeed(cached) : openAccount("customer_wallet", customerId)
      }),
      Effect.map(sql<{ kycStatus: string }>`SELECT kyc_status FROM users.users WHERE id = ${customerId}`, (rows) => rows[0]?.kycStatus === "approved" ? "approved" as const : "none" as const)
    ], { concurrency: "unbounded" })
    const limits = walletPolicy.limits[level]
    const paidAtMs = Date.now()
    const { dayStart, monthStart } = periodStarts(paidAtMs, walletPolicy.timeZone)
    const since = outflowInstants({ dayStart, monthStart })
    const transaction = {
      id: uuidV7(paidAtMs),
      type: "payment" as const,
      idempotencyKey: `order-payment:${order.id}`,
      postings: [{ accountId: walletId, amountXof: xof(-order.totals.totalXof) }, { accountId: escrowId, amountXof: order.totals.totalXof }],
      createdAt: new Date(paidAtMs)
    }
    const paymentRefusal = yield* sql.withTransaction(Effect.gen(function*() {
      const ids = lockOrder(transaction.postings)
      const rows = yield* sql<AccountRow>`
        SELECT ${accountCols} FROM wallet.accounts WHERE id IN ${sql.in(ids)} ORDER BY id FOR NO KEY UPDATE`
      const earliest = since.reduce((min, instant) => (instant < min ? instant : min), since[0]!)
      const [seen] = yield* sql<{ writtenId: string | null; outflowSinceXof: ReadonlyArray<string> | null }>`
        SELECT (SELECT t.id FROM wallet.transactions t WHERE t.idempotency_key = ${transaction.idempotencyKey}) AS written_id,
          ${sql`(SELECT ${sql`ARRAY[${sql.join(", ", false)(since.map((instant) => sql`coalesce(-sum(p.amount_xof) FILTER (WHERE p.created_at >= ${instant}), 0)::bigint`))}]
      FROM wallet.postings p
      WHERE p.account_id = ${walletId} AND p.counts_as_outflow AND p.created_at >= ${earliest}`})::text[]`} AS outflow_since_xof,
          ${sql`NULL::integer`} AS receivers_first_paid_since,
          ${sql`NULL::boolean`} AS paid_before`
      if (seen!.writtenId !== null) return new Refusal(409, { code: "payment_replayed", message: "Déjà payée." })
      if (rows.find((row) => row.id === walletId)?.frozenAt != null) return new Refusal(403, { code: "wallet_frozen", message: "Portefeuille gelé." })
      const exceeded = checkOutflow(limits, outflowFrom((seen!.outflowSinceXof ?? []).map((sum) => xof(Number(sum)))), transaction.postings[1]!.amountXof)
      if (exceeded !== undefined) return new Refusal(403, { code: "limit_exceeded", message: "Plafond atteint." })
      const accounts = new Map(rows.map((row) => [row.id, { id: row.id, kind: row.kind, ownerId: row.ownerId, gateway: row.gateway } satisfies Account]))
      const after = applyPostings(transaction.postings, accounts, new Map(rows.map((row) => [row.id, xof(Number(row.balanceXof))])))
      if (Result.isFailure(after)) return new Refusal(402, { code: "insufficient_funds", message: "Solde insuffisant." })
      const updated = yield* sql<{ id: string; balanceXof: bigint }>`
        WITH inserted AS (
          INSERT INTO wallet.transactions ${sql.insert({
            id: transaction.id,
            type: transaction.type,
            idempotencyKey: transaction.idempotencyKey,
            causeKind: "user",
            causeId: customerId,
            reversesId: null,
            note: null,
            reference: order.reference,
            createdAt: transaction.createdAt
          })} ON CONFLICT DO NOTHING RETURNING id, created_at
        ), change AS (
          SELECT account_id, amount_xof, (position - 1)::smallint AS position
          FROM unnest(${transaction.postings.map((posting) => posting.accountId)}::uuid[], ${transaction.postings.map((posting) => posting.amountXof)}::bigint[]) WITH ORDINALITY AS change (account_id, amount_xof, position)
        ), posted AS (
          INSERT INTO wallet.postings (transaction_id, account_id, position, amount_xof, created_at, counts_as_outflow)
          SELECT inserted.id, change.account_id, change.position, change.amount_xof, inserted.created_at,
            change.amount_xof < 0 AND ${countsAsOutflow(transaction.type)}
          FROM inserted, change
        )${sql``}
        UPDATE wallet.accounts a SET balance_xof = a.balance_xof + change.amount_xof
        FROM change, inserted
        WHERE a.id = change.account_id
        RETURNING a.id, a.balance_xof`
      if (updated.length !== ids.length || updated.some((row) => Number(row.balanceXof) !== after.success.get(row.id))) {
        return yield* Effect.die(new Error(`balances of transaction ${transaction.id} differ from the locked ones`))
      }
      return undefined
    }))
    if (paymentRefusal !== undefined) return yield* Effect.fail(paymentRefusal)

    // The notices (orderNotices.ts makeOrderNoticeEvents): the provider and its owner read again.
    const notices = orderNotices(order, change, orderPolicy)
    const noticeRows: Array<{ id: string; type: string; aggregateType: string; aggregateId: string; payload: unknown; occurredAt: string }> = []
    const orderEvent = orderChangedEvent(uuidV7(Date.now()), order, change)
    for (const notice of notices) {
      let person: { id: string; phone: string } | undefined
      if (notice.to === "customer") {
        const [user] = yield* sql<{ id: string; phone: string }>`SELECT ${userCols} FROM users.users WHERE id = ${order.customerId}`
        person = user
      } else {
        const [owner] = yield* sql<{ ownerId: string }>`
        SELECT ${providerCols} FROM catalogue.providers p LEFT JOIN geo.zones z ON z.id = p.zone_id
        WHERE p.id = ${order.providerId}`
        if (owner !== undefined) {
          const [user] = yield* sql<{ id: string; phone: string }>`SELECT ${userCols} FROM users.users WHERE id = ${owner.ownerId}`
          person = user
        }
      }
      if (person === undefined) continue
      const body = notice.body.slice(0, 640)
      const data = { orderId: order.id, reference: order.reference, kind: change.change }
      const push = { channel: "push", userId: person.id, title: notice.title, body, data }
      const event = (payload: unknown) => ({ id: uuidV7(Date.now()), type: "notification.requested", aggregateType: "order", aggregateId: order.id, payload, occurredAt: change.at.toISOString() })
      if (notice.via === "sms-and-push") noticeRows.push(event({ channel: "sms", to: person.phone, body }), event(push))
      else noticeRows.push(event({ ...push, fallbackPhone: person.phone }))
    }
    const outboxRows = [orderEvent, ...noticeRows].map((event): Record<string, unknown> => ({
      id: event.id,
      type: event.type,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      payload: sql.json(event.payload),
      occurredAt: new Date(event.occurredAt)
    }))
    yield* sql`INSERT INTO events.outbox ${sql.insert(outboxRows as [Record<string, unknown>, ...Array<Record<string, unknown>>])}`
    return { change, walletId, escrowId }
  })).pipe(Effect.result))
  if (Result.isFailure(written)) {
    const failure = written.failure
    return failure instanceof Refusal ? answer(response, failure.status, failure.body) : answer(response, 503, { code: "service_unavailable", message: "Service momentanément indisponible." })
  }
  // Committed: the account ids can be remembered, the streams told, the menu's copies dropped.
  const { change, walletId, escrowId } = written.success
  wallets.set(customerId, walletId)
  escrows.set(provider.id, escrowId)
  const message = JSON.stringify({ change, order })
  await redis.pipeline([
    ["publish", redisKey("orders", "feed", "order", order.id.toLowerCase()), message],
    ["publish", redisKey("orders", "feed", "provider", order.providerId.toLowerCase()), message]
  ]).exec()
  await redis.set(redisKey("catalogue", "menu", order.providerId, "version"), `bench${randomInt(1e9).toString(36)}`, "EX", 24 * 60 * 60)
  // The customer placing it: the answer carries the delivery code, as the API's does.
  return answer(response, 201, orderView(order, null, true))
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/orders/{id}/tracking

const trackingPath = /^\/api\/v1\/orders\/([0-9a-fA-F-]{36})\/tracking$/u
const notFound = { code: "order_not_found", message: "Commande introuvable." }

const tracking = async (request: IncomingMessage, response: ServerResponse, orderId: string) => {
  const claims = await authenticate(request, response)
  if (claims === undefined) return
  const [row] = await run(sql<OrderRow>`SELECT ${orderCols} FROM orders.orders WHERE ${sql`id = ${orderId}`}`)
  if (row === undefined) return answer(response, 404, notFound)
  if (row.customerId !== claims.sub) {
    // orderAccess.ts maySee: an admin, or the owner of the order's provider.
    const viewer = { userId: claims.sub as UserId, roles: claims.roles as ReadonlyArray<"admin"> }
    let allowed = viewer.roles.includes("admin")
    if (!allowed) {
      const [providerRow] = await run(sql<Parameters<typeof toProvider>[0]>`
        SELECT ${providerCols} FROM catalogue.providers p LEFT JOIN geo.zones z ON z.id = p.zone_id
        WHERE p.id = ${row.providerId}`)
      allowed = providerRow !== undefined && canManageProvider(viewer, toProvider(providerRow))
    }
    if (!allowed) return answer(response, 404, notFound)
  }
  const timeline = await run(sql<ChangeRow>`
        SELECT ${changeCols} FROM orders.changes WHERE order_id = ${row.id} ORDER BY position`)
  // The delivery's tracking (Deliveries.trackingOf): none for these orders, never confirmed.
  const [deliveryRow] = await run(sql`SELECT ${deliveryCols} FROM deliveries.deliveries WHERE order_id = ${row.id}`)
  if (deliveryRow !== undefined) throw new Error("the baseline serves orders without a delivery only")
  return answer(response, 200, trackingView({ order: toOrder(row), timeline }, row.customerId === claims.sub, null))
}

const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
  const url = request.url ?? ""
  const handled = request.method === "POST" && url === "/api/v1/orders"
    ? place(request, response)
    : request.method === "GET" && trackingPath.test(url)
    ? tracking(request, response, trackingPath.exec(url)![1]!)
    : undefined
  if (handled === undefined) {
    response.writeHead(404).end()
    return
  }
  handled.catch(() => {
    if (!response.headersSent) answer(response, 503, { code: "service_unavailable", message: "Service momentanément indisponible." })
  })
})

server.listen(port, host)

process.once("SIGTERM", () => {
  server.close()
  server.closeAllConnections()
  void Promise.allSettled([redis.quit(), Effect.runPromise(Scope.close(poolScope, Exit.void))]).then(() => process.exit(0))
})

