import { randomInt } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import type { Phone } from "@nelo/domain/shared/Phone"
import { makeCreateUser } from "@nelo/domain/users/createUser"
import { makeAuditLedger } from "@nelo/domain/wallet/auditLedger"
import { onlineDriver } from "../../deliveries/dispatchFixtures.ts"
import { restaurant } from "../../orders/ordersFixtures.ts"
import { anAdmin, assertRefused, succeeded } from "../../support/cliResults.ts"
import { BedEnv, domainBed } from "../../support/domainBed.ts"
import { cli } from "../../support/runProcess.ts"
import { balances, confirmedAt, deliver } from "../earningsFixtures.ts"

// `nelo-admin earnings ...` in the real process, against a database of this file's own. The orders
// are delivered in this process through the domain on the real adapters (no worker runs: nothing is
// settled but by the command): the back-fill settles them once, however often it is run; set-rate
// prices the orders placed after it, never those placed before.

const run = (args: ReadonlyArray<string>) => BedEnv.use((env) => Effect.promise(() => cli(args, env)))

layer(domainBed("earnings_cli"), { excludeTestServices: true, timeout: "180 seconds" })("nelo-admin earnings", (it) => {
  it.effect("settle-delivered settles the delivered orders not settled yet, once; set-rate prices the orders placed after it", () =>
    Effect.gen(function*() {
      yield* seedCity(tiassale)
      const admin = yield* anAdmin
      const driver = yield* onlineDriver(300, { fullName: "Koffi Yao" })
      const place = yield* restaurant()
      // Three delivered before settlement existed (as far as this database knows): 4,500 F, 4,500 F in cash, 2,000 F.
      for (const spec of [{ garbas: 2, large: true }, { garbas: 2, large: true, paymentMethod: "cash" as const }, {}]) yield* deliver(yield* confirmedAt(place, spec), driver)
      const waiting = yield* confirmedAt(place)

      assert.deepStrictEqual(
        succeeded(yield* run(["earnings", "settle-delivered", "--batch-size", "2"]), "the back-fill"),
        ["3 commande(s) réglée(s) maintenant ; 0 l'étai(en)t déjà (3 commande(s) livrée(s) lue(s))."]
      )
      // 3,400 + 3,400 + 1,275 to the provider; 450 × 3 to the driver; 650 + 650 + 275 to the platform.
      assert.deepStrictEqual(yield* balances(place.provider.id, driver.userId), {
        escrow: waiting.order.totals.totalXof,
        provider: 8_075,
        driver: 1_350,
        cashInHand: -4_500,
        platform: 1_575
      })
      assert.deepStrictEqual(
        succeeded(yield* run(["earnings", "settle-delivered"]), "the back-fill again"),
        ["0 commande(s) réglée(s) maintenant ; 3 l'étai(en)t déjà (3 commande(s) livrée(s) lue(s))."]
      )

      // 12 % for this provider from now on: the next order is priced at it (480 F on 4,000 F).
      const [setLine] = succeeded(yield* run(["earnings", "set-rate", "--provider", place.provider.id, "--bp", "1200", "--admin", admin.phone]), "set-rate")
      assert.match(setLine!, new RegExp(`^Commission du commerce Maquis Chez Tanti \\(id ${place.provider.id}\\) : 12 % \\(1200 points de base\\) à partir du \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} \\(heure d'Abidjan\\)\\. Les commandes passées avant gardent le taux d'alors\\.$`, "u"))
      yield* deliver(yield* confirmedAt(place, { garbas: 2, large: true }), driver)
      // The driver's 5 % from a day to come: not in force yet for any order.
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
      succeeded(yield* run(["earnings", "set-rate", "--driver", driver.phone, "--bp", "500", "--from", tomorrow, "--admin", admin.id]), "set-rate of a driver")
      assert.deepStrictEqual(
        succeeded(yield* run(["earnings", "settle-delivered"]), "the back-fill after the new rates"),
        ["1 commande(s) réglée(s) maintenant ; 3 l'étai(en)t déjà (4 commande(s) livrée(s) lue(s))."]
      )
      const after = yield* balances(place.provider.id, driver.userId)
      assert.deepStrictEqual([after.provider, after.driver, after.platform], [8_075 + 3_520, 1_350 + 450, 1_575 + 530])

      const rates = succeeded(yield* run(["earnings", "rates", "--driver", driver.phone, "--admin", admin.phone]), "rates")
      assert.strictEqual(rates[0], `Commission du livreur Koffi Yao (${driver.phone}, id ${driver.userId}) : 10 % par défaut (EARNINGS_DRIVER_COMMISSION_BP).`)
      assert.match(rates[1]!, new RegExp(`^  à partir du ${tomorrow} 00:00 : 5 % \\(500 pb\\), fixé le \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} par ${admin.id}$`, "u"))
      assert.lengthOf(rates, 2)
      assert.deepStrictEqual((yield* yield* makeAuditLedger).differences, [])
    }), 180_000)

  it.effect("refused, each in one sentence, writing nothing: a bad rate, a past date, both parties or none, an unknown provider, an --admin without the role, a bad batch size", () =>
    Effect.gen(function*() {
      const admin = yield* anAdmin
      const place = yield* restaurant()
      const notAdmin = yield* (yield* makeCreateUser)({ phone: `+22505${String(randomInt(0, 100_000_000)).padStart(8, "0")}` as Phone, fullName: "Aya Kouassi", language: "fr", roles: ["client"], referredBy: null, passwordHash: null, createdAt: new Date() })
      const provider = ["--provider", place.provider.id]
      const results = yield* Effect.all([
        run(["earnings", "set-rate", ...provider, "--bp", "10001", "--admin", admin.phone]),
        run(["earnings", "set-rate", ...provider, "--bp", "12.5", "--admin", admin.phone]),
        run(["earnings", "set-rate", ...provider, "--bp", "1200", "--from", "2020-01-01", "--admin", admin.phone]),
        run(["earnings", "set-rate", ...provider, "--bp", "1200", "--from", "2026-02-30", "--admin", admin.phone]),
        run(["earnings", "set-rate", ...provider, "--driver", admin.phone, "--bp", "1200", "--admin", admin.phone]),
        run(["earnings", "set-rate", "--bp", "1200", "--admin", admin.phone]),
        run(["earnings", "set-rate", "--provider", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "--bp", "1200", "--admin", admin.phone]),
        run(["earnings", "set-rate", "--driver", admin.phone, "--bp", "1200", "--admin", admin.phone]),
        run(["earnings", "set-rate", ...provider, "--bp", "1200", "--admin", notAdmin.phone]),
        run(["earnings", "settle-delivered", "--batch-size", "0"])
      ], { concurrency: 3 })
      const expected = [
        /^nelo-admin: --bp attend un taux en points de base, un nombre entier entre 0 et 10 000 \(1 200 = 12 %\), pas « 10001 »\.$/u,
        /^nelo-admin: --bp attend un taux en points de base, .*pas « 12\.5 »\.$/u,
        /^nelo-admin: Un taux de commission ne s'applique jamais au passé \(2020-01-01 00:00 est avant maintenant, .*\) : donnez une date à venir, ou aucune pour tout de suite\.$/u,
        /^nelo-admin: --from attend une date ISO 8601 qui existe, .*pas « 2026-02-30 »\.$/u,
        /^nelo-admin: Dites de qui est la commission : --provider ID ou --driver TÉLÉPHONE, l'un des deux\.$/u,
        /^nelo-admin: Dites de qui est la commission : --provider ID ou --driver TÉLÉPHONE, l'un des deux\.$/u,
        /^nelo-admin: --provider : aucun commerce n'a l'identifiant 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\.$/u,
        /^nelo-admin: Ce compte n'est pas inscrit comme livreur\.$/u,
        /^nelo-admin: --admin : Aya Kouassi \(\+2250\d{9}, id [0-9a-f-]{36}\) n'a pas le rôle admin/u,
        /^nelo-admin: --batch-size attend un nombre entier de commandes par page, entre 1 et 10 000, pas « 0 »\.$/u
      ]
      results.forEach((result, index) => assertRefused(result, expected[index]!, `case ${index + 1}`))
      const rates = succeeded(yield* run(["earnings", "rates", ...provider, "--admin", admin.phone]), "rates after the refusals")
      assert.deepStrictEqual(rates.slice(1), ["Aucun taux particulier."])
    }), 180_000)
})
