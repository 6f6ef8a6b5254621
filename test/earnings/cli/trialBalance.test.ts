import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { Earnings } from "@nelo/domain/earnings/Earnings"
import { onlineDriver } from "../../deliveries/dispatchFixtures.ts"
import { restaurant } from "../../orders/ordersFixtures.ts"
import { assertRefused, succeeded } from "../../support/cliResults.ts"
import { BedEnv, domainBed } from "../../support/domainBed.ts"
import { cli } from "../../support/runProcess.ts"
import { confirmedAt, deliver } from "../earningsFixtures.ts"

// `nelo-admin ledger trial-balance [--at ...]` in the real process, against a database of this
// file's own: every kind's balance and the total, 0; at an instant before anything, all 0; a bad
// --at a French sentence; a ledger that does not balance (written behind its back) exit 1.

const run = (args: ReadonlyArray<string>) => BedEnv.use((env) => Effect.promise(() => cli(args, env)))

/** "  gains des commerces   3 400 F CFA  (1 compte(s), provider_earnings)" → [kind, francs]. */
const balancesOf = (lines: ReadonlyArray<string>) =>
  new Map(lines.flatMap((line) => {
    const match = /^ {2}.+? {2,}\s*(-?[\d ]+) F CFA {2}\(\d+ compte\(s\), ([a-z_]+)\)$/u.exec(line)
    return match === null ? [] : [[match[2]!, Number(match[1]!.replaceAll(" ", ""))] as const]
  }))

layer(domainBed("trial_balance_cli"), { excludeTestServices: true, timeout: "180 seconds" })("nelo-admin ledger trial-balance", (it) => {
  it.effect("every kind and its balance, the total 0, exit 0; --at before the orders: their accounts at 0; a bad --at refused in French", () =>
    Effect.gen(function*() {
      yield* seedCity(tiassale)
      const driver = yield* onlineDriver(300)
      const place = yield* restaurant()
      const before = new Date(Date.now() - 1_000).toISOString()
      for (const spec of [{ garbas: 2, large: true }, { garbas: 1, paymentMethod: "cash" as const }]) {
        const order = yield* deliver(yield* confirmedAt(place, spec), driver)
        assert.strictEqual(yield* (yield* Earnings).settle(order.id), "settled")
      }

      const now = succeeded(yield* run(["ledger", "trial-balance"]), "trial-balance")
      assert.match(now[0]!, /^Balance du grand livre au \d{4}-\d{2}-\d{2}T/u)
      assert.match(now.at(-2)!, /^ {2}total +0 F CFA$/u)
      assert.strictEqual(now.at(-1), "Le total est 0 : la balance est équilibrée.")
      const balances = balancesOf(now)
      assert.strictEqual(balances.size, 9, "every kind, even without accounts")
      assert.strictEqual([...balances.values()].reduce((sum, value) => sum + value, 0), 0)
      // 3,400 F + 1,275 F to the provider (2 large garbas, then 1 small), 450 F × 2 to the driver.
      assert.deepStrictEqual([balances.get("provider_earnings"), balances.get("driver_earnings"), balances.get("orders_escrow")], [3_400 + 1_275, 900, 0])
      assert.strictEqual(balances.get("driver_cash_in_hand"), -2_000, "the cash order's total in the driver's hands")

      const earlier = succeeded(yield* run(["ledger", "trial-balance", "--at", before]), "trial-balance --at")
      assert.strictEqual(earlier[0], `Balance du grand livre au ${before} (heure d'Abidjan = UTC)`)
      const then = balancesOf(earlier)
      assert.deepStrictEqual([then.get("provider_earnings"), then.get("driver_earnings"), then.get("driver_cash_in_hand")], [0, 0, 0])
      assert.strictEqual([...then.values()].reduce((sum, value) => sum + value, 0), 0)

      for (const bad of ["hier", "2026-12-07", "2026-13-07T12:00:00Z"]) {
        assertRefused(yield* run(["ledger", "trial-balance", "--at", bad]), /^nelo-admin: --at : « .+ » n'est pas une date et heure ISO 8601 avec fuseau/u, `--at ${bad}`)
      }
    }), 180_000)

  it.effect("a ledger that does not balance (a posting written behind its back): the table, then exit 1 with a sentence", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      // This file's own database: the checks that would refuse it are set aside for the write.
      yield* sql`ALTER TABLE wallet.postings DISABLE TRIGGER postings_balanced`
      yield* sql`ALTER TABLE wallet.transactions DISABLE TRIGGER transactions_balanced`
      const [account] = yield* sql<{ id: string }>`SELECT id FROM wallet.accounts WHERE kind = 'platform_revenue'`
      const id = crypto.randomUUID()
      yield* sql`INSERT INTO wallet.transactions (id, type, idempotency_key, cause_kind, cause_id, created_at) VALUES (${id}, 'commission', ${id}, 'system', 'test', now())`
      yield* sql`INSERT INTO wallet.postings (transaction_id, account_id, position, amount_xof, created_at) VALUES (${id}, ${account!.id}, 0, 5, now())`
      yield* sql`ALTER TABLE wallet.postings ENABLE TRIGGER postings_balanced`
      yield* sql`ALTER TABLE wallet.transactions ENABLE TRIGGER transactions_balanced`
      const result = yield* run(["ledger", "trial-balance"])
      assert.strictEqual(result.code, 1)
      assert.match(result.stdout, /^ {2}total +5 F CFA$/mu)
      assert.match(result.stderr.trim(), /^nelo-admin: La balance ne s'annule pas : le total est 5 F CFA au lieu de 0/u)
    }))
})
