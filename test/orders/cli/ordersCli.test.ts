import { randomInt, randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { PinCheckPorts, UsersLive } from "@nelo/adapters/contexts/AuthLive"
import { CatalogueLive } from "@nelo/adapters/contexts/CatalogueLive"
import { OrdersLive } from "@nelo/adapters/contexts/OrdersLive"
import { WalletLive, WalletPorts } from "@nelo/adapters/contexts/WalletLive"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { makeSetPin } from "@nelo/domain/auth/pin"
import { Catalogue } from "@nelo/domain/catalogue/Catalogue"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { Orders } from "@nelo/domain/orders/Orders"
import { PromotionTerms } from "@nelo/domain/orders/Promotion"
import { IdGenerator } from "@nelo/domain/shared/IdGenerator"
import type { Phone } from "@nelo/domain/shared/Phone"
import { xof } from "@nelo/domain/shared/Xof"
import { makeNewReferralCode } from "@nelo/domain/users/newReferralCode"
import type { Role, UserId } from "@nelo/domain/users/User"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { Users } from "@nelo/domain/users/Users"
import { alwaysOpen } from "../../support/catalogueAccounts.ts"
import { fundWallet } from "../../support/fundWallet.ts"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { cli, type ProcessResult } from "../../support/runProcess.ts"
import { withEnv } from "../../support/withEnv.ts"

// `nelo-admin orders` and `nelo-admin promotions` in the real process, against a database of their
// own (the promotion lists are exact there). The orders they show are placed in this process through
// the orders context on the real adapters (the same layers as the API's), at a restaurant and a gas
// depot built through the catalogue's use cases in Tiassalé's zones.

class DatabaseUrl extends Context.Service<DatabaseUrl, string>()("test/ordersCli/DatabaseUrl") {}

const contexts = Layer.mergeAll(
  OrdersLive.pipe(Layer.provide(WalletLive)),
  CatalogueLive,
  UsersLive,
  WalletLive,
  WalletPorts,
  PinCheckPorts,
  ZoneRepositoryPostgres
)

const testLayer = Layer.unwrap(Effect.map(isolatedDatabase("orders_cli"), (url) =>
  Layer.merge(
    Layer.succeed(DatabaseUrl, url),
    contexts.pipe(Layer.provideMerge(Layer.mergeAll(PostgresLayer, RedisClientLayer)), Layer.provide(withEnv({ DATABASE_URL: url })))
  )))

// Each spawned CLI takes about a second, several when the machine is busy.
const processHeavyTimeoutMs = 240_000

const run = (args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const url = yield* DatabaseUrl
    return yield* Effect.promise(() => cli(args, { DATABASE_URL: url }))
  })

/** A success: exit 0, nothing on stderr. */
const succeeded = (result: ProcessResult, what: string) => {
  assert.strictEqual(result.code, 0, `${what}: ${result.stdout}${result.stderr}`)
  assert.strictEqual(result.stderr, "", what)
  return result.stdout
}

/** A refusal: exit 1, nothing on stdout, one sentence on stderr. */
const assertRefused = (result: ProcessResult, sentence: RegExp, what: string) => {
  assert.strictEqual(result.code, 1, `${what}: ${result.stdout}${result.stderr}`)
  assert.strictEqual(result.stdout, "", what)
  assert.strictEqual(result.stderr.trim().split("\n").length, 1, `${what}: ${result.stderr}`)
  assert.match(result.stderr.trim(), sentence, what)
}

/** Each refusal in its own process, three at a time. */
const assertAllRefused = (refusals: ReadonlyArray<readonly [ReadonlyArray<string>, RegExp]>) =>
  Effect.forEach(refusals, ([args, sentence]) => Effect.map(run(args), (result) => assertRefused(result, sentence, args.join(" "))), { concurrency: 3 })

/** An Orange number nobody else uses, as people type it: "07 12 34 56 78". */
const randomTypedPhone = () => `07${String(randomInt(0, 100_000_000)).padStart(8, "0")}`.replace(/(\d{2})(?=\d)/gu, "$1 ")

/** An account as sign-up makes one, with these roles. */
const account = (fullName: string, roles: ReadonlyArray<Role> = ["client"]) =>
  Effect.gen(function*() {
    const typedPhone = randomTypedPhone()
    const user = yield* (yield* UserRepository).create({
      id: (yield* (yield* IdGenerator).uuid) as UserId,
      phone: `+225${typedPhone.replace(/\s/gu, "")}` as Phone,
      fullName,
      language: "fr",
      roles: [...roles],
      referralCode: yield* yield* makeNewReferralCode,
      referredBy: null,
      passwordHash: null,
      createdAt: new Date()
    })
    return { ...user, typedPhone }
  })

/** The admin, made as an operator makes one: `users create-admin`. */
const adminAccount = Effect.gen(function*() {
  const typedPhone = randomTypedPhone()
  const created = yield* run(["users", "create-admin", "--phone", typedPhone, "--name", "Adjoua Admin"])
  assert.strictEqual(created.code, 0, created.stderr)
  const id = /id ([0-9a-f-]{36})/u.exec(created.stdout)?.[1]
  assert.isDefined(id, created.stdout)
  return { id: id! as UserId, typedPhone, viewer: { userId: id! as UserId, roles: ["client", "admin"] as Array<Role> } }
})

/** Points of Tiassalé (packages/domain/src/geo/tiassale.ts): the market (Tchègbanalôgô) and Prof, ≈ 1.1 km south. */
const market = { lat: 5.905, lng: -4.822 }
const prof = { lat: 5.895, lng: -4.822 }

/**
 * A restaurant (Garba 1,000 F with a size and a side, Bissap 300 F) and a gas depot (Total 12.5 kg:
 * refill 5,200 F, new 17,000 F) at the market, open all the time, of one owner.
 */
const shops = Effect.gen(function*() {
  yield* seedCity(tiassale)
  const owner = yield* account("Tantie Awa Bamba", ["client", "provider"])
  const actor = { userId: owner.id, roles: owner.roles }
  const catalogue = yield* Catalogue
  const restaurant = yield* catalogue.createProvider(actor, {
    type: "restaurant",
    name: "Maquis Chez Tantie",
    description: "",
    location: market,
    landmark: "à côté de la pharmacie du marché",
    hours: alwaysOpen
  })
  const garba = yield* catalogue.addProduct(actor, restaurant.id, {
    categoryId: null,
    name: "Garba",
    description: "",
    priceXof: xof(1_000),
    available: true,
    stock: null,
    optionGroups: [
      { kind: "size", name: "Taille", minChoices: 1, maxChoices: 1, options: [{ name: "Normal", priceDeltaXof: 0 }, { name: "Grand", priceDeltaXof: 500 }] },
      { kind: "choice", name: "Accompagnement", minChoices: 1, maxChoices: 1, options: [{ name: "Attiéké", priceDeltaXof: 0 }, { name: "Alloco", priceDeltaXof: 200 }] }
    ]
  })
  const bissap = yield* catalogue.addProduct(actor, restaurant.id, { categoryId: null, name: "Bissap", description: "", priceXof: xof(300), available: true, stock: null, optionGroups: [] })
  const depot = yield* catalogue.createProvider(actor, { type: "gas_depot", name: "Dépôt Gaz du Marché", description: "", location: market, landmark: "derrière la station", hours: alwaysOpen })
  const bottle = yield* catalogue.addGasProduct(actor, depot.id, {
    brand: "Total",
    bottleSizeKg: 12.5,
    refillPriceXof: xof(5_200),
    newBottlePriceXof: xof(17_000),
    fullBottlesInStock: null,
    available: true
  })
  const option = (groupName: string, name: string) => garba.optionGroups.find((group) => group.name === groupName)!.options.find((candidate) => candidate.name === name)!.id
  return { restaurant, depot, garba: { id: garba.id, large: option("Taille", "Grand"), alloco: option("Accompagnement", "Alloco") }, bissap: bissap.id, bottle: bottle.id }
})

/** A customer with a PIN, money in the wallet and a home in Prof. */
const customerAtHome = (fullName: string) =>
  Effect.gen(function*() {
    const customer = yield* account(fullName)
    yield* (yield* makeSetPin)(customer.id, { pin: "2580" })
    yield* fundWallet(customer.id, 20_000)
    const home = yield* (yield* Users).addresses.add(customer.id, { label: "Maison", location: prof, landmark: "portail bleu après la mosquée" })
    return { ...customer, addressId: home.id }
  })

const countPromotions = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ all: number; active: number }>`SELECT count(*)::int AS all, (count(*) FILTER (WHERE active))::int AS active FROM orders.promotions`
  return row!
})

const idOf = (output: string) => {
  const id = /\| id ([0-9a-f-]{36})$/mu.exec(output)?.[1]
  assert.isDefined(id, output)
  return id!
}

layer(testLayer, { excludeTestServices: true, timeout: "240 seconds" })("nelo-admin orders and promotions", (it) => {
  it.effect("orders show: a wallet order with its promotion, cancelled and refunded, then a cash gas refill; references in any case", () =>
    Effect.gen(function*() {
      const admin = yield* adminAccount
      const shop = yield* shops
      const aya = yield* customerAtHome("Aya Koné")
      const orders = yield* Orders

      const promotion = succeeded(
        yield* run(["promotions", "create", "--admin", admin.typedPhone, "--label", "-10 % pour commencer", "--percent", "10", "--code", "bienvenue"]),
        "a code promotion"
      )
      assert.match(promotion, /^BIENVENUE \| « -10 % pour commencer » \| -10 % \|/mu)

      // 2 Garba (large, alloco: 1,700 F) and 3 Bissap: 4,300 F; 500 F to Prof; 10 % off: 430 F.
      const placed = yield* orders.place(aya.id, {
        providerId: shop.restaurant.id,
        addressId: aya.addressId,
        items: [{ productId: shop.garba.id, quantity: 2, options: [shop.garba.large, shop.garba.alloco] }, { productId: shop.bissap, quantity: 3, options: [] }],
        promoCode: "BIENVENUE",
        paymentMethod: "wallet",
        note: "Sonnez deux fois",
        pin: "2580",
        idempotencyKey: randomUUID()
      })
      assert.strictEqual(placed.totals.totalXof, 4_370)
      const pending = succeeded(yield* run(["orders", "show", placed.reference, "--admin", admin.typedPhone]), "show a paid order")
      assert.match(pending, new RegExp(`^Commande ${placed.reference} \\(id ${placed.id}\\) : en attente$`, "mu"))
      assert.match(pending, /^Paiement : portefeuille NELO, payée$/mu)
      assert.match(pending, /^Grand livre :\n {2}Paiement : 4 370 F CFA \(transaction [0-9a-f-]{36}\)\n {2}Remboursement : aucun$/mu)

      yield* orders.cancelByAdmin(admin.viewer, placed.id, "Client injoignable", "platform")
      const shown = succeeded(yield* run(["orders", "show", `  ${placed.reference.toLowerCase()} `, "--admin", admin.id]), "show a cancelled order")
      const lines = shown.trimEnd().split("\n")
      const at = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z`
      const expected: ReadonlyArray<string | RegExp> = [
        `Commande ${placed.reference} (id ${placed.id}) : annulée`,
        new RegExp(`^Passée le ${at}, mise à jour le ${at}$`, "u"),
        `Client : Aya Koné (${aya.phone}, id ${aya.id})`,
        `Commerce : Maquis Chez Tantie (id ${shop.restaurant.id}), retrait : à côté de la pharmacie du marché`,
        "Livraison à : Maison — portail bleu après la mosquée (zone Prof), à 1,1 km",
        "Note du client : Sonnez deux fois",
        "Articles (2) :",
        "  Garba (Taille : Grand ; Accompagnement : Alloco) × 2 à 1 700 F CFA = 3 400 F CFA",
        "  Bissap × 3 à 300 F CFA = 900 F CFA",
        "Sous-total : 4 300 F CFA",
        "Frais de livraison : 500 F CFA",
        "Réduction : -430 F CFA (code BIENVENUE, financée par la plateforme)",
        "Total : 4 370 F CFA",
        "Paiement : portefeuille NELO, remboursée",
        "Annulation : par administrateur, à la charge de la plateforme — motif : Client injoignable",
        "Historique (2) :",
        new RegExp(`^ {2}${at} {2}créée \\(en attente\\) {2}par client$`, "u"),
        new RegExp(`^ {2}${at} {2}en attente → annulée {2}par administrateur \\(${admin.id}\\) {2}— motif : Client injoignable$`, "u"),
        "Grand livre :",
        /^ {2}Paiement : 4 370 F CFA \(transaction [0-9a-f-]{36}\)$/u,
        /^ {2}Remboursement : 4 370 F CFA \(transaction [0-9a-f-]{36}\)$/u
      ]
      assert.strictEqual(lines.length, expected.length, shown)
      expected.forEach((line, index) => typeof line === "string" ? assert.strictEqual(lines[index], line) : assert.match(lines[index]!, line))
      // The transactions named are the ledger's own.
      const money = yield* orders.moneyOf(placed)
      assert.include(shown, `Paiement : 4 370 F CFA (transaction ${money.payment!.id})`)
      assert.include(shown, `Remboursement : 4 370 F CFA (transaction ${money.refund!.id})`)

      // Cash at the door: two refills (two empties to collect) and a new bottle; nothing in the ledger.
      const gas = yield* orders.place(aya.id, {
        providerId: shop.depot.id,
        addressId: aya.addressId,
        items: [{ gasProductId: shop.bottle, quantity: 2, sale: "refill" }, { gasProductId: shop.bottle, quantity: 1, sale: "new" }],
        promoCode: null,
        paymentMethod: "cash",
        note: null,
        pin: null,
        idempotencyKey: randomUUID()
      })
      const cash = succeeded(yield* run(["orders", "show", gas.reference, "--admin", admin.typedPhone]), "show a cash order")
      assert.include(cash, "Articles (2) :\n  Total 12,5 kg, recharge × 2 à 5 200 F CFA = 10 400 F CFA — 2 bouteilles vides à récupérer\n  Total 12,5 kg, bouteille neuve (consigne comprise) × 1 à 17 000 F CFA = 17 000 F CFA\n")
      assert.include(cash, "Sous-total : 27 400 F CFA\nFrais de livraison : 500 F CFA\nTotal : 27 900 F CFA\nPaiement : espèces, à payer à la livraison\n")
      assert.notInclude(cash, "Réduction")
      assert.notInclude(cash, "Note du client")
      assert.match(cash, /^Grand livre : aucun mouvement \(paiement en espèces à la livraison\)$/mu)
    }), processHeavyTimeoutMs)

  it.effect("orders show refusals: malformed or unknown reference, an --admin without the role (even the order's own customer), an unknown --admin", () =>
    Effect.gen(function*() {
      const admin = yield* adminAccount
      const shop = yield* shops
      const koffi = yield* customerAtHome("Koffi Yao")
      const order = yield* (yield* Orders).place(koffi.id, {
        providerId: shop.restaurant.id,
        addressId: koffi.addressId,
        items: [{ productId: shop.bissap, quantity: 1, options: [] }],
        promoCode: null,
        paymentMethod: "cash",
        note: null,
        pin: null,
        idempotencyKey: randomUUID()
      })
      const unknown = order.reference === "ORD-7K3M9Q2T" ? "ORD-7K3M9Q2V" : "ORD-7K3M9Q2T"
      yield* assertAllRefused([
        [["orders", "show", "ORD-123", "--admin", admin.id], /^nelo-admin: « ORD-123 » n'est pas une référence de commande : attendu ORD- suivi de 8 caractères/u],
        [["orders", "show", unknown, "--admin", admin.id], new RegExp(`^nelo-admin: Aucune commande n'a la référence ${unknown}\\.$`, "u")],
        [["orders", "show", order.reference, "--admin", koffi.typedPhone], new RegExp(`^nelo-admin: --admin : Koffi Yao \\(\\${koffi.phone}, id ${koffi.id}\\) n'a pas le rôle admin`, "u")],
        [["orders", "show", order.reference, "--admin", randomTypedPhone()], /^nelo-admin: --admin : aucun compte pour le numéro \+22507\d{8}\.$/u],
      ])
      const missing = yield* run(["orders", "show", order.reference])
      assert.strictEqual(missing.code, 1)
      assert.strictEqual(missing.stderr.split("\n")[0], "nelo-admin: required option '--admin <user>' not specified")
    }), processHeavyTimeoutMs)

  it.effect("promotions create (each benefit, every option), list newest first, deactivate by code or id, list --all", () =>
    Effect.gen(function*() {
      const admin = yield* adminAccount
      const shop = yield* shops
      const create = (args: ReadonlyArray<string>) => Effect.map(run(["promotions", "create", "--admin", admin.typedPhone, ...args]), (result) => succeeded(result, args.join(" ")))

      const percent = yield* create([
        "--label", "-12,5 % sur les plats", "--percent", "12.5", "--code", "tia125", "--minimum", "2000", "--cap", "1500",
        "--starts", "2025-01-01", "--ends", "2099-12-31T23:59", "--max-uses", "100", "--budget", "50000", "--per-customer", "2", "--first-order"
      ])
      assert.match(percent, /^Promotion créée par Adjoua Admin :$/mu)
      assert.match(
        percent,
        /^TIA125 \| « -12,5 % sur les plats » \| -12,5 % \(dès 2 000 F CFA d'articles, au plus 1 500 F CFA par commande, 2 fois par client, première commande seulement\) \| 0\/100 utilisations \| 0 F CFA accordés sur 50 000 F CFA \| du 2025-01-01 00:00 au 2099-12-31 23:59 \| tous les commerces \| financée par la plateforme \| active \| id [0-9a-f-]{36}$/mu
      )
      const orders = yield* Orders
      const stored = yield* orders.promotions.get(admin.viewer, idOf(percent))
      assert.deepStrictEqual(
        { ...stored, id: "", createdAt: null, updatedAt: null },
        {
          id: "",
          code: "TIA125",
          label: "-12,5 % sur les plats",
          benefit: { _tag: "PercentOff", basisPoints: 1_250 },
          minimumSubtotalXof: 2_000,
          maximumDiscountXof: 1_500,
          startsAt: new Date("2025-01-01T00:00:00Z"),
          endsAt: new Date("2099-12-31T23:59:00Z"),
          maximumUses: 100,
          budgetXof: 50_000,
          perCustomerLimit: 2,
          firstOrderOnly: true,
          providerId: null,
          fundedBy: "platform",
          active: true,
          usesCount: 0,
          discountTotalXof: 0,
          createdAt: null,
          updatedAt: null
        } as never
      )

      const amount = yield* create(["--label", "500 F offerts", "--amount", "500", "--code", "MOINS500", "--starts", "2025-03-01T08:30:00+01:00"])
      assert.match(amount, /^MOINS500 \| « 500 F offerts » \| -500 F CFA \| 0 utilisation\(s\), sans maximum \| 0 F CFA accordés, sans budget \| à partir du 2025-03-01 07:30, sans fin \|/mu)

      const before = Date.now()
      const free = yield* create(["--label", "Livraison offerte", "--free-delivery"])
      const freeId = idOf(free)
      assert.match(free, /^\(automatique\) \| « Livraison offerte » \| livraison offerte \| .* \| tous les commerces \| financée par la plateforme \| active \|/mu)
      const freeStored = yield* orders.promotions.get(admin.viewer, freeId)
      assert.deepStrictEqual(freeStored.benefit, { _tag: "DeliveryOff", basisPoints: 10_000 } as never)
      assert.isAtLeast(freeStored.startsAt.getTime(), before - 1_000, "starts now by default")
      assert.isAtMost(freeStored.startsAt.getTime(), Date.now())

      const half = yield* create([
        "--label", "Livraison à moitié prix chez Tantie", "--delivery-percent", "50", "--code", "Demi", "--provider", shop.restaurant.id, "--funded-by", "provider"
      ])
      assert.match(half, new RegExp(`^DEMI \\| « Livraison à moitié prix chez Tantie » \\| -50 % sur la livraison \\| .* \\| commerce Maquis Chez Tantie \\(${shop.restaurant.id}\\) \\| financée par le commerce \\| active \\|`, "mu"))

      // Newest first; every active one; the count matches the table.
      const listed = succeeded(yield* run(["promotions", "list", "--admin", admin.id]), "list")
      const mine = [half, free, amount, percent].map(idOf)
      const listedIds = [...listed.matchAll(/\| id ([0-9a-f-]{36})$/gmu)].map((match) => match[1]!)
      assert.deepStrictEqual(listedIds.filter((id) => mine.includes(id)), mine)
      assert.match(listed, new RegExp(`^${(yield* countPromotions).active} promotion\\(s\\) active\\(s\\)\\.$`, "mu"))

      // Deactivated by its code (any case), or by its id; again: nothing to do.
      const byCode = succeeded(yield* run(["promotions", "deactivate", "moins500", "--admin", admin.typedPhone]), "deactivate by code")
      assert.match(byCode, /^Promotion désactivée par Adjoua Admin :\nMOINS500 \| .* \| inactive \| id [0-9a-f-]{36}$/mu)
      const byId = succeeded(yield* run(["promotions", "deactivate", freeId, "--admin", admin.typedPhone]), "deactivate by id")
      assert.match(byId, /^\(automatique\) \| « Livraison offerte » \| .* \| inactive \|/mu)
      const again = succeeded(yield* run(["promotions", "deactivate", "MOINS500", "--admin", admin.id]), "deactivate twice")
      assert.match(again, /^Cette promotion est déjà inactive : rien à faire\.$/mu)
      assert.isFalse((yield* orders.promotions.get(admin.viewer, freeId)).active)

      const active = succeeded(yield* run(["promotions", "list", "--admin", admin.id]), "list after")
      assert.notInclude(active, idOf(amount))
      assert.notInclude(active, freeId)
      assert.include(active, idOf(half))
      assert.notMatch(active, /\| inactive \|/u)
      const all = succeeded(yield* run(["promotions", "list", "--all", "--admin", admin.id]), "list --all")
      const allIds = [...all.matchAll(/\| id ([0-9a-f-]{36})$/gmu)].map((match) => match[1]!)
      assert.deepStrictEqual(allIds.filter((id) => mine.includes(id)), mine)
      assert.match(all, new RegExp(`^MOINS500 \\| .* \\| inactive \\| id ${idOf(amount)}$`, "mu"))
      assert.match(all, new RegExp(`^${(yield* countPromotions).all} promotion\\(s\\)\\.$`, "mu"))
    }), processHeavyTimeoutMs)

  it.effect("promotions list pages through every page (more than 100), newest first", () =>
    Effect.gen(function*() {
      const admin = yield* adminAccount
      const orders = yield* Orders
      for (let index = 0; index < 101; index++) {
        yield* orders.promotions.create(admin.viewer, Schema.decodeUnknownSync(PromotionTerms)({
          code: `PAGE${String(index).padStart(3, "0")}${randomInt(0, 1_000_000)}`,
          label: `Page ${index}`,
          benefit: { _tag: "AmountOff", amountXof: 100 + index },
          minimumSubtotalXof: 0,
          maximumDiscountXof: null,
          startsAt: new Date(),
          endsAt: null,
          maximumUses: null,
          budgetXof: null,
          perCustomerLimit: null,
          firstOrderOnly: false,
          providerId: null,
          fundedBy: "platform"
        }))
      }
      const sql = yield* SqlClient.SqlClient
      const expected = (yield* sql<{ id: string }>`SELECT id::text AS id FROM orders.promotions ORDER BY id DESC`).map((row) => row.id)
      assert.isAbove(expected.length, 101)
      const all = succeeded(yield* run(["promotions", "list", "--all", "--admin", admin.typedPhone]), "list --all")
      assert.deepStrictEqual([...all.matchAll(/\| id ([0-9a-f-]{36})$/gmu)].map((match) => match[1]!), expected)
      assert.match(all, new RegExp(`^${expected.length} promotion\\(s\\)\\.$`, "mu"))
      assert.match(all, /^PAGE100\d+ \| « Page 100 » \| -200 F CFA \|/mu)
    }), processHeavyTimeoutMs)

  it.effect("promotions refusals: exit 1, one French sentence naming the option, nothing written", () =>
    Effect.gen(function*() {
      const admin = yield* adminAccount
      const customer = yield* account("Fanta Diabaté")
      const taken = succeeded(yield* run(["promotions", "create", "--admin", admin.id, "--label", "Déjà là", "--percent", "5", "--code", `PRIS${randomInt(0, 1_000_000)}`]), "a code to take")
      const takenCode = /^(PRIS\d+) \|/mu.exec(taken)![1]!
      const counted = yield* countPromotions
      const create = (...args: ReadonlyArray<string>) => ["promotions", "create", "--admin", admin.typedPhone, ...args]
      const label = ["--label", "Promo de test"]
      yield* assertAllRefused([
        [create(...label, "--percent", "12.345"), /^nelo-admin: --percent attend un pourcentage entre 0,01 et 100, avec au plus 2 décimales \(par exemple 20 ou 12,5\), pas « 12\.345 »\.$/u],
        [create(...label, "--delivery-percent", "vingt"), /^nelo-admin: --delivery-percent attend un pourcentage.*pas « vingt »\.$/u],
        [create(...label, "--percent", "20", "--amount", "500"), /^nelo-admin: Une promotion donne une seule chose : --percent et --amount ne vont pas ensemble, gardez-en une\.$/u],
        [create(...label, "--percent", "20", "--free-delivery", "--delivery-percent", "50"), /^nelo-admin: Une promotion donne une seule chose : --percent, --free-delivery et --delivery-percent ne vont pas ensemble/u],
        [create(...label), /^nelo-admin: Dites ce que donne la promotion : --percent, --amount, --free-delivery ou --delivery-percent\.$/u],
        [create("--percent", "20"), /^nelo-admin: --label : le libellé que lit le client est obligatoire, de 2 à 120 caractères/u],
        [create(...label, "--amount", "0"), /^nelo-admin: --amount attend un montant en francs CFA, un nombre entier entre 1 et 10 000 000, pas « 0 »\.$/u],
        [create(...label, "--percent", "20", "--code", "AB"), /^nelo-admin: --code attend un code de 3 à 20 lettres ou chiffres.*pas « AB »\.$/u],
        [create(...label, "--percent", "20", "--code", takenCode.toLowerCase()), new RegExp(`^nelo-admin: --code : le code ${takenCode} est déjà pris par une autre promotion\\.$`, "u")],
        [create(...label, "--percent", "20", "--budget", "beaucoup"), /^nelo-admin: --budget attend un montant en francs CFA.*pas « beaucoup »\.$/u],
        [create(...label, "--percent", "20", "--starts", "2025-02-30"), /^nelo-admin: --starts attend une date ISO 8601 qui existe.*pas « 2025-02-30 »\.$/u],
        [create(...label, "--percent", "20", "--starts", "2030-01-01", "--ends", "2029-12-31"), /^nelo-admin: --ends : la fin de la promotion doit venir après son début/u],
        [create(...label, "--percent", "20", "--provider", "maquis"), /^nelo-admin: --provider attend l'identifiant \(UUID\) d'un commerce, pas « maquis »\.$/u],
        [create(...label, "--percent", "20", "--provider", randomUUID()), /^nelo-admin: --provider : aucun commerce n'a cet identifiant\.$/u],
        [create(...label, "--percent", "20", "--funded-by", "wave"), /^nelo-admin: --funded-by attend platform \(la plateforme paie la réduction\) ou provider \(le commerce la paie\), pas « wave »\.$/u],
        [["promotions", "create", "--admin", customer.typedPhone, ...label, "--percent", "20"], new RegExp(`^nelo-admin: --admin : Fanta Diabaté \\(\\${customer.phone}, id ${customer.id}\\) n'a pas le rôle admin`, "u")],
        [["promotions", "list", "--admin", customer.id], /^nelo-admin: --admin : Fanta Diabaté .* n'a pas le rôle admin/u],
        [["promotions", "deactivate", "NOPE123", "--admin", admin.id], /^nelo-admin: Aucune promotion n'a le code NOPE123\.$/u],
        [["promotions", "deactivate", "la promo", "--admin", admin.id], /^nelo-admin: « la promo » n'est ni l'identifiant \(UUID\) ni le code/u]
      ])
      assert.deepStrictEqual(yield* countPromotions, counted, "nothing written, nothing deactivated")
    }), processHeavyTimeoutMs)
})
