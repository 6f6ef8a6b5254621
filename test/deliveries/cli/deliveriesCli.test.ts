import { randomBytes, randomInt } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect, Option } from "effect"
import { DeliveryRepository } from "@nelo/domain/deliveries/DeliveryRepository"
import { Dispatch } from "@nelo/domain/deliveries/Dispatch"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { Orders } from "@nelo/domain/orders/Orders"
import { anAdmin, assertRefused, succeeded } from "../../support/cliResults.ts"
import { BedEnv, domainBed } from "../../support/domainBed.ts"
import { cli } from "../../support/runProcess.ts"
import { customer, restaurant } from "../../orders/ordersFixtures.ts"
import { confirmedOrder, onlineDriver } from "../dispatchFixtures.ts"

// `nelo-admin deliveries show` in the real process. The state it shows is made in this process
// through the domain on the real adapters (the layers the API and the worker use): drivers online
// around the town-centre restaurant, an order confirmed, dispatch opened (its offers), then each
// driver's answer. A database and a Redis prefix of this file's own: the drivers dispatch finds
// around the restaurant are only these, and the fixtures' numbered phones meet no other file's.

const testLayer = domainBed("deliveries_cli")

const run = (args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const env = yield* BedEnv
    return yield* Effect.promise(() => cli(args, env))
  })

// Order references: ORD- and 8 of these (no I, L, O, U).
const referenceAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const aReferenceNobodyHas = () => `ORD-${Array.from({ length: 8 }, () => referenceAlphabet[randomInt(0, referenceAlphabet.length)]).join("")}`

// Each spawned CLI takes about a second, several when the machine is busy.
layer(testLayer, { excludeTestServices: true, timeout: "180 seconds" })("nelo-admin deliveries show", (it) => {
  it.effect("an order with offers: the delivery's status, its driver, and each offer with its driver, distance, score and answer", () =>
    Effect.gen(function*() {
      yield* seedCity(tiassale)
      const admin = yield* anAdmin
      const awa = yield* onlineDriver(300, { fullName: "Awa Koné" })
      const koffi = yield* onlineDriver(600, { fullName: "Koffi Yao" })
      const yao = yield* onlineDriver(-900, { fullName: "Yao Kouadio" })
      // Ready in 5 minutes: within the dispatch lead, the offers go out as the delivery opens.
      const { order, event } = yield* confirmedOrder({ preparationMinutes: 5 })
      const dispatch = yield* Dispatch
      assert.strictEqual(yield* dispatch.open(event), "offered")
      const repository = yield* DeliveryRepository
      const delivery = Option.getOrThrow(yield* repository.findByOrder(order.id))
      const offers = yield* repository.offersOf(delivery.id)
      const offerTo = (driver: { readonly userId: string }) => offers.find((offer) => offer.driverId === driver.userId)!
      assert.sameMembers(offers.map((offer) => offer.driverId), [awa.userId, koffi.userId, yao.userId])

      yield* dispatch.reject(awa.userId, offerTo(awa).id, "Trop loin pour moi")
      yield* dispatch.accept(koffi.userId, offerTo(koffi).id)

      const lines = succeeded(yield* run(["deliveries", "show", order.reference, "--admin", admin.phone]), "deliveries show")
      assert.strictEqual(lines[0], `${order.reference} : commande confirmée, course livreur en route vers le commerce`)
      assert.strictEqual(lines[1], `Course ${delivery.id}`)
      assert.include(lines, `Livreur : Koffi Yao (${koffi.phone})`)
      assert.include(lines, "Offres :")
      const batches = lines.find((line) => line.startsWith("Offres à partir de "))
      assert.match(batches ?? "", /^Offres à partir de \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} ; 1 vague\(s\) d'offres$/u)
      assert.match(lines.find((line) => line.startsWith("Étapes : ")) ?? "", /^Étapes : attribuée \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, récupérée -, livrée -$/u)

      const offerLine = (phone: string) => {
        const found = lines.filter((line) => line.includes(phone) && line.startsWith("  vague "))
        assert.lengthOf(found, 1, `one offer line for ${phone} in\n${lines.join("\n")}`)
        return found[0]!
      }
      const stamp = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"
      const offerPattern = (name: string, phone: string, km: string, answer: string) =>
        new RegExp(`^  vague 1  ${stamp}  ${name} \\(\\${phone}\\)  à ${km.replace(".", "\\.")} km  score \\d\\.\\d{3}  ${answer}$`, "u")
      assert.match(offerLine(awa.phone), offerPattern("Awa Koné", awa.phone, "0.3", `refusée ${stamp} \\(« Trop loin pour moi »\\)`))
      assert.match(offerLine(koffi.phone), offerPattern("Koffi Yao", koffi.phone, "0.6", `acceptée ${stamp}`))
      assert.match(offerLine(yao.phone), offerPattern("Yao Kouadio", yao.phone, "0.9", `retirée ${stamp}`))
      // Each score as stored, to three places.
      for (const driver of [awa, koffi, yao]) assert.include(offerLine(driver.phone), `score ${offerTo(driver).score.toFixed(3)}`)
    }))

  it.effect("refused: a reference that is not one, a reference nobody has, an --admin without the role; an order without a delivery yet says so", () =>
    Effect.gen(function*() {
      yield* seedCity(tiassale)
      const admin = yield* anAdmin
      const place = yield* restaurant()
      const aya = yield* customer(10_000)
      // Placed, not yet confirmed: no delivery.
      const pending = yield* (yield* Orders).place(aya.id, {
        providerId: place.provider.id,
        items: [{ productId: place.garbaId, quantity: 1, options: ["size-small"] }],
        addressId: aya.addressId,
        promoCode: null,
        paymentMethod: "wallet",
        note: null,
        pin: aya.pin,
        idempotencyKey: `deliveries-cli-${randomBytes(4).toString("hex")}`
      })
      const unknown = aReferenceNobodyHas()

      const [malformed, nobody, notAdmin, noDelivery] = yield* Effect.all([
        run(["deliveries", "show", "ORD-123", "--admin", admin.phone]),
        run(["deliveries", "show", unknown, "--admin", admin.phone]),
        run(["deliveries", "show", pending.reference, "--admin", aya.id]),
        // In lower case, as an agent may type it: the same order.
        run(["deliveries", "show", pending.reference.toLowerCase(), "--admin", admin.id])
      ], { concurrency: 2 })

      assertRefused(malformed, /^nelo-admin: « ORD-123 » n'est pas une référence de commande : attendu ORD- suivi de 8 caractères/u, "a malformed reference")
      assertRefused(nobody, new RegExp(`^nelo-admin: Aucune commande n'a la référence ${unknown}\\.$`, "u"), "a reference nobody has")
      assertRefused(notAdmin, /^nelo-admin: --admin : Aya Kouassi \(\+2250\d{9}, id [0-9a-f-]{36}\) n'a pas le rôle admin/u, "a customer as --admin")
      assert.deepStrictEqual(
        succeeded(noDelivery, "an order without a delivery"),
        [`${pending.reference} : commande en attente, pas encore de course (elle est créée quand le commerce confirme la commande).`]
      )
    }))

  // The context is built quietly (as OrdersLayer): the gateways' start-up warning is the API's, not the terminal's.
  it.effect("a refusal is its one sentence on stderr, nothing else (as `orders show`)", () =>
    Effect.gen(function*() {
      const admin = yield* anAdmin
      const result = yield* run(["deliveries", "show", "ORD-123", "--admin", admin.phone])
      assert.strictEqual(result.code, 1)
      assert.strictEqual(
        result.stderr,
        "nelo-admin: « ORD-123 » n'est pas une référence de commande : attendu ORD- suivi de 8 caractères (chiffres et lettres sauf I, L, O, U), par exemple ORD-7K3M9Q2T.\n"
      )
    }))
})
