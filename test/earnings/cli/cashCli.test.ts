import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { onlineDriver } from "../../deliveries/dispatchFixtures.ts"
import { restaurant } from "../../orders/ordersFixtures.ts"
import { anAdmin, assertRefused, succeeded } from "../../support/cliResults.ts"
import { BedEnv, domainBed } from "../../support/domainBed.ts"
import { cli } from "../../support/runProcess.ts"
import { confirmedAt, deliver } from "../earningsFixtures.ts"

// `nelo-admin cash ...` in the real process, against a database of this file's own. The cash orders
// are delivered in this process through the domain on the real adapters; the commands record what
// the driver hands in and print who holds cash.

const run = (args: ReadonlyArray<string>) => BedEnv.use((env) => Effect.promise(() => cli(args, env)))
const heldBy = (driverId: string) => Effect.map(Ledger.use((ledger) => ledger.cashHeldBy([driverId])), (held) => held.get(driverId) ?? 0)

layer(domainBed("cash_cli"), { excludeTestServices: true, timeout: "180 seconds" })("nelo-admin cash", (it) => {
  it.effect("remit records the cash handed in, once; report prints who holds cash as a table", () =>
    Effect.gen(function*() {
      yield* seedCity(tiassale)
      const admin = yield* anAdmin
      const driver = yield* onlineDriver(300, { fullName: "Koffi Espèces" })
      const place = yield* restaurant()
      const order = yield* deliver(yield* confirmedAt(place, { paymentMethod: "cash", garbas: 2, large: true }), driver)
      const total = order.totals.totalXof
      assert.strictEqual(yield* heldBy(driver.userId), total)

      const report = succeeded(yield* run(["cash", "report"]), "the report")
      assert.match(report[0]!, /^\d+ livreur\(s\) détiennent .* pour NELO \(plafond 50 000 F CFA chacun ; alerte au-delà de 2 j\)\./u)
      assert.match(report[1]!, /^Livreur\s+Téléphone\s+Espèces\s+Depuis\s+Plafond\s+Gains\s+Manque$/u)
      const line = report.find((row) => row.startsWith("Koffi Espèces"))
      assert.isDefined(line, report.join("\n"))
      assert.match(line!, new RegExp(`^Koffi Espèces\\s+\\${driver.phone}\\s+${total.toLocaleString("fr-FR").replace(/\s/gu, " ")} F CFA\\s+0 h\\s+non\\s+`, "u"))
      assert.deepStrictEqual(succeeded(yield* run(["cash", "report", "--older-than", "48h"]), "nobody that old"), ["Aucun livreur ne détient d'espèces depuis 2 j ou plus."])

      const remit = ["cash", "remit", "--driver", driver.phone, "--amount", "1000", "--reference", "RECU-CLI-1", "--admin", admin.phone]
      assert.deepStrictEqual(succeeded(yield* run(remit), "remit"), [
        `Remise enregistrée : 1 000 F CFA au bureau de Koffi Espèces (${driver.phone}, id ${driver.userId}), référence RECU-CLI-1.`,
        `Il détient encore ${(total - 1_000).toLocaleString("fr-FR").replace(/\s/gu, " ")} F CFA pour NELO.`
      ])
      const again = succeeded(yield* run(remit), "the same remittance again")
      assert.match(again[0]!, /^Cette remise était déjà enregistrée \(référence RECU-CLI-1, 1 000 F CFA au bureau, le \d{4}-\d{2}-\d{2} \d{2}:\d{2}\) : rien de plus n'est écrit\.$/u)
      assert.strictEqual(yield* heldBy(driver.userId), total - 1_000)
      succeeded(yield* run(["cash", "remit", "--driver", driver.userId, "--amount", String(total - 1_000), "--reference", "WAVE-T-77", "--via", "wave", "--note", "envoi Wave", "--admin", admin.id]), "the rest by Wave")
      assert.strictEqual(yield* heldBy(driver.userId), 0)
      assert.isUndefined(succeeded(yield* run(["cash", "report"]), "the report after").find((row) => row.startsWith("Koffi Espèces")))
    }), 180_000)

  it.effect("refused, each in one French sentence with a non-zero exit, writing nothing", () =>
    Effect.gen(function*() {
      const admin = yield* anAdmin
      const driver = yield* onlineDriver(300, { fullName: "Awa Refus" })
      const place = yield* restaurant()
      const order = yield* deliver(yield* confirmedAt(place, { paymentMethod: "cash" }), driver)
      const total = order.totals.totalXof
      const base = (extra: ReadonlyArray<string>, amount = "500", reference = "RECU-BAD") =>
        ["cash", "remit", "--driver", driver.phone, "--amount", amount, "--reference", reference, "--admin", admin.phone, ...extra]
      yield* run(base([], "500", "RECU-TAKEN"))
      const results = yield* Effect.all([
        run(base([], "0")),
        run(base([], "12.5")),
        run(base([], "-3")),
        run(base([], "500", "avec espace")),
        run(base(["--via", "orange"])),
        run(base([], String(total))),
        run(base([], "600", "RECU-TAKEN")),
        run(["cash", "remit", "--driver", admin.phone, "--amount", "500", "--reference", "X-1", "--admin", admin.phone]),
        run(["cash", "remit", "--driver", driver.phone, "--amount", "500", "--reference", "X-2", "--admin", driver.phone]),
        run(["cash", "report", "--older-than", "deux jours"])
      ], { concurrency: 3 })
      const expected = [
        /^nelo-admin: --amount attend un montant en francs, un nombre entier supérieur à 0 \(25000\), pas « 0 »\.$/u,
        /^nelo-admin: --amount attend .*pas « 12\.5 »\.$/u,
        /^nelo-admin: --amount attend .*pas « -3 »\.$/u,
        /^nelo-admin: --reference attend la référence de la remise .*pas « avec espace »\.$/u,
        /^nelo-admin: --via attend office \(remise au bureau\) ou wave \(envoi par Wave\), pas « orange »\.$/u,
        new RegExp(`^nelo-admin: Ce livreur ne détient que ${(total - 500).toLocaleString("fr-FR").replace(/\s/gu, " ")} F CFA pour NELO : une remise ne peut pas dépasser ce qu'il doit\\.$`, "u"),
        /^nelo-admin: La référence « RECU-TAKEN » a déjà servi pour une remise de ce livreur \(500 F CFA, au bureau\) : une autre remise prend une autre référence\.$/u,
        /^nelo-admin: --driver : Adjoua Admin \(.*\) n'est pas inscrit comme livreur\.$/u,
        /^nelo-admin: --admin : Awa Refus \(.*\) n'a pas le rôle admin/u,
        /^nelo-admin: --older-than attend une durée en heures ou en jours \(48h, 2j\), pas « deux jours »\.$/u
      ]
      results.forEach((result, index) => assertRefused(result, expected[index]!, `case ${index + 1}`))
      assert.strictEqual(yield* heldBy(driver.userId), total - 500, "only the first remittance written")
      const missing = yield* run(["cash", "remit", "--driver", driver.phone, "--amount", "500", "--admin", admin.phone])
      assert.notStrictEqual(missing.code, 0)
    }), 180_000)
})
