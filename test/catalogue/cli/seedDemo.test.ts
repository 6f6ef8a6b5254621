import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { regulatedRefillPriceXof } from "@nelo/adapters/seeds/demoCatalogue"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { cli } from "../../support/runProcess.ts"
import { withEnv } from "../../support/withEnv.ts"
import { vi } from "vitest"

// nelo-admin runs as a process, one after another: on two cores shared with the rest of the suite
// each takes seconds to start, so a test gets a budget for its sequence, not for one request.
vi.setConfig({ testTimeout: 120_000 })

// `seed demo` in the real process, against a database of its own (its counts are exact).
class DemoDatabaseUrl extends Context.Service<DemoDatabaseUrl, string>()("test/DemoDatabaseUrl") {}

const testLayer = Layer.unwrap(Effect.map(isolatedDatabase("seed_demo"), (url) =>
  Layer.merge(Layer.succeed(DemoDatabaseUrl, url), PostgresLayer.pipe(Layer.provide(withEnv({ DATABASE_URL: url }))))))

const run = (args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const url = yield* DemoDatabaseUrl
    return yield* Effect.promise(() => cli(["seed", "demo", ...args], { DATABASE_URL: url }))
  })

const counts = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ providers: number; products: number; gasProducts: number; categories: number; zones: number; users: number }>`
    SELECT (SELECT count(*) FROM catalogue.providers)::int AS providers, (SELECT count(*) FROM catalogue.products)::int AS products,
           (SELECT count(*) FROM catalogue.gas_products)::int AS gas_products, (SELECT count(*) FROM catalogue.categories)::int AS categories,
           (SELECT count(*) FROM geo.zones)::int AS zones, (SELECT count(*) FROM users.users)::int AS users`
  return row!
})

layer(testLayer, { excludeTestServices: true, timeout: "90 seconds" })("nelo-admin seed demo", (it) => {
  it.effect("bad arguments: exit 1, one French sentence naming the option, nothing written", () =>
    Effect.gen(function*() {
      const refusals: ReadonlyArray<readonly [ReadonlyArray<string>, RegExp]> = [
        [["--providers", "0"], /^nelo-admin: --providers attend un nombre entier de fournisseurs entre 1 et 100 000, pas « 0 »\.$/u],
        [["--providers", "abc"], /^nelo-admin: --providers attend un nombre entier .*« abc »\.$/u],
        [["--providers", "100001"], /^nelo-admin: --providers attend/u],
        [["--providers", "2.5"], /^nelo-admin: --providers attend/u],
        [["--providers", "10", "--products-per-provider", "-1"], /^nelo-admin: --products-per-provider attend un nombre entier de produits entre 0 et 200, pas « -1 »\.$/u],
        [["--products-per-provider", "201"], /^nelo-admin: --products-per-provider attend/u],
        [["--seed", "-3"], /^nelo-admin: --seed attend un nombre entier/u]
      ]
      for (const [args, sentence] of refusals) {
        const result = yield* run(args)
        assert.strictEqual(result.code, 1, args.join(" "))
        assert.strictEqual(result.stdout, "", args.join(" "))
        assert.match(result.stderr.trim(), sentence)
        assert.strictEqual(result.stderr.trim().split("\n").length, 1)
      }
      assert.deepStrictEqual(yield* counts, { providers: 0, products: 0, gasProducts: 0, categories: 0, zones: 0, users: 0 })
    }))

  it.effect("120 providers × 5 products: zones seeded, owners created, every provider with its menu or its bottles", () =>
    Effect.gen(function*() {
      const result = yield* run(["--providers", "120", "--products-per-provider", "5", "--seed", "42"])
      assert.strictEqual(result.code, 0, result.stderr)
      assert.match(result.stdout, /^Zones de Tiassalé : 11 créée\(s\), 0 mise\(s\) à jour, 0 déjà en place\.$/mu)
      assert.match(result.stdout, /^Fournisseurs : 120 \/ 120 \(120 créés, 0 déjà là ; 510 produits, \d+ lignes de gaz\)$/mu)
      assert.match(result.stdout, /^Terminé en \d+,\d s : 120 fournisseurs créés, 0 déjà présents ; \d+ catégories, 510 produits et \d+ lignes de gaz \(marque et taille\) écrits ; comptes propriétaires : 3 créé\(s\), 0 existant\(s\)\.$/mu)
      assert.match(result.stdout, /^La base compte maintenant 120 fournisseurs, \d+ catégories, 510 produits et \d+ lignes de gaz\.$/mu)

      const sql = yield* SqlClient.SqlClient
      const total = yield* counts
      assert.strictEqual(total.providers, 120)
      assert.strictEqual(total.products, 102 * 5, "72 restaurants and 30 groceries, 5 products each")
      assert.strictEqual(total.zones, 11)

      const types = yield* sql<{ type: string; count: number }>`SELECT type, count(*)::int AS count FROM catalogue.providers GROUP BY type ORDER BY type`
      assert.deepStrictEqual(types, [{ type: "gas_depot", count: 18 }, { type: "grocery", count: 30 }, { type: "restaurant", count: 72 }])

      // Owners: 3 accounts (one per 50 providers) with the provider role, Orange numbers of the 07 00 block.
      const owners = yield* sql<{ phone: string; roles: ReadonlyArray<string>; providers: number }>`
        SELECT u.phone, u.roles, count(p.id)::int AS providers FROM users.users u JOIN catalogue.providers p ON p.owner_id = u.id
        GROUP BY u.id ORDER BY u.phone`
      assert.deepStrictEqual(owners.map((owner) => owner.providers), [50, 50, 20])
      for (const owner of owners) {
        assert.match(owner.phone, /^\+2250700\d{6}$/u)
        assert.include(owner.roles, "provider")
      }

      // Providers in the town's quartiers resolve to their zone; most are somewhere in the commune.
      const [zoned] = yield* sql<{ inTown: number; inTownZoned: number; zoned: number }>`
        SELECT count(*) FILTER (WHERE ST_Y(location::geometry) BETWEEN 5.8845 AND 5.9115 AND ST_X(location::geometry) BETWEEN -4.8375 AND -4.8065)::int AS in_town,
               count(*) FILTER (WHERE ST_Y(location::geometry) BETWEEN 5.8845 AND 5.9115 AND ST_X(location::geometry) BETWEEN -4.8375 AND -4.8065
                                AND zone_id IS NOT NULL)::int AS in_town_zoned,
               count(zone_id)::int AS zoned
        FROM catalogue.providers`
      assert.isAbove(zoned!.inTown, 60)
      assert.strictEqual(zoned!.inTownZoned, zoned!.inTown)
      assert.isAbove(zoned!.zoned, 100)

      // Every restaurant and grocery has its 5 products; every depot 4 to 10 bottle lines at or above the regulated price.
      const [menus] = yield* sql<{ wrong: number }>`
        SELECT count(*)::int AS wrong FROM catalogue.providers p
        WHERE p.type <> 'gas_depot' AND (SELECT count(*) FROM catalogue.products x WHERE x.provider_id = p.id) <> 5`
      assert.strictEqual(menus!.wrong, 0)
      const depots = yield* sql<{ lines: number }>`
        SELECT count(g.id)::int AS lines FROM catalogue.providers p LEFT JOIN catalogue.gas_products g ON g.provider_id = p.id
        WHERE p.type = 'gas_depot' GROUP BY p.id`
      assert.strictEqual(depots.length, 18)
      for (const depot of depots) assert.isTrue(depot.lines >= 4 && depot.lines <= 10, String(depot.lines))
      const regulated = JSON.stringify(Object.entries(regulatedRefillPriceXof).map(([size, price]) => ({ size: Number(size), price })))
      const [belowRegulated] = yield* sql<{ count: number; checked: number }>`
        SELECT count(*) FILTER (WHERE g.refill_price_xof < r.price OR g.new_bottle_price_xof <= g.refill_price_xof)::int AS count, count(*)::int AS checked
        FROM catalogue.gas_products g JOIN json_to_recordset(${regulated}::json) AS r(size numeric, price integer) ON r.size = g.bottle_size_kg`
      assert.strictEqual(belowRegulated!.count, 0)
      assert.strictEqual(belowRegulated!.checked, total.gasProducts)
    }))

  it.effect("running it again adds nothing; another seed adds other providers", () =>
    Effect.gen(function*() {
      const before = yield* counts
      const again = yield* run(["--providers", "120", "--products-per-provider", "5", "--seed", "42"])
      assert.strictEqual(again.code, 0, again.stderr)
      assert.match(again.stdout, /^Fournisseurs : 120 \/ 120 \(0 créés, 120 déjà là ; 0 produits, 0 lignes de gaz\)$/mu)
      assert.match(again.stdout, /comptes propriétaires : 0 créé\(s\), 3 existant\(s\)\./u)
      assert.deepStrictEqual(yield* counts, before)

      const other = yield* run(["--providers", "10", "--products-per-provider", "3", "--seed", "43"])
      assert.strictEqual(other.code, 0, other.stderr)
      assert.match(other.stdout, /^La base compte maintenant 130 fournisseurs, /mu)
      assert.strictEqual((yield* counts).users, before.users + 1)
    }))
})
