import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { nearbyStatement } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import type { NearbyQuery } from "@nelo/domain/catalogue/ProviderRepository"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { withEnv } from "../../support/withEnv.ts"

// The nearby search must answer from the GiST index (KNN order), never by scanning and sorting
// every provider. A database of its own holds 10,000 providers over ~55 km around Tiassalé, with
// fresh statistics, and the planner is asked about the very statement the adapter runs.
const providerCount = 10_000
const ownerId = "01900000-0000-7000-8000-000000000001"

const seed = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    INSERT INTO users.users (id, phone, full_name, language, roles, referral_code)
    VALUES (${ownerId}, '+2250700000001', 'Propriétaire', 'fr', ARRAY['client', 'provider'], 'NEARBY01')`
  yield* sql`SELECT setseed(0.42)`
  yield* sql`
    INSERT INTO catalogue.providers (id, owner_id, type, name, search_name, location, created_at, updated_at)
    SELECT gen_random_uuid(), ${ownerId}, (ARRAY['restaurant', 'gas_depot', 'grocery'])[1 + n % 3],
           'Fournisseur ' || n, 'fournisseur ' || n,
           ST_SetSRID(ST_MakePoint(-4.823 + (random() - 0.5) * 0.5, 5.898 + (random() - 0.5) * 0.5), 4326)::geography,
           now(), now()
    FROM generate_series(1, ${providerCount}) AS n`
  yield* sql`ANALYZE catalogue.providers`
})

const testLayer = Layer.unwrap(Effect.map(isolatedDatabase("nearby_index"), (url) =>
  Layer.effectDiscard(seed).pipe(Layer.provideMerge(PostgresLayer), Layer.provide(withEnv({ DATABASE_URL: url })))))

/** The planner's plan for the adapter's own nearby statement, with its parameters. */
const planOf = (query: NearbyQuery) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const [text, params] = nearbyStatement(sql, query).compile()
    const rows = yield* sql.unsafe<Record<string, string>>(`EXPLAIN ${text}`, params)
    return rows.map((row) => Object.values(row)[0]).join("\n")
  })

const literal = (value: unknown) =>
  typeof value === "number" ? String(value) : typeof value === "string" ? `'${value.replaceAll("'", "''")}'` : "NULL"

/**
 * The plan Postgres falls back to for a prepared statement (the driver prepares every statement,
 * and after five runs Postgres may keep a generic plan made without the parameters' values).
 */
const genericPlanOf = (query: NearbyQuery) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const [text, params] = nearbyStatement(sql, query).compile()
    return yield* sql.withTransaction(Effect.gen(function*() {
      yield* sql`SET LOCAL plan_cache_mode = force_generic_plan`
      yield* sql.unsafe(`PREPARE nearby_generic AS ${text}`)
      const rows = yield* sql.unsafe<Record<string, string>>(`EXPLAIN EXECUTE nearby_generic (${params.map(literal).join(", ")})`)
      yield* sql`DEALLOCATE nearby_generic`
      return rows.map((row) => Object.values(row)[0]).join("\n")
    }))
  })

const tiassale = { lat: 5.898, lng: -4.823 }

const knnScan = /Index Scan using providers_location on providers \w+ [^\n]*\n\s+Index Cond: \(location && [^\n]+\n\s+Order By: \(location <-> /u

/** Both steps read providers through the GiST index, within the radius's box; never a whole scan. */
const assertReadsThroughIndex = (plan: string) => {
  assert.notMatch(plan, /Seq Scan on providers/u, plan)
  assert.strictEqual(plan.match(/Index Scan using providers_location on providers|Bitmap Index Scan on providers_location/gu)?.length, 2, plan)
  assert.match(plan, /Index Scan using providers_location/u, plan)
}

/** ... and the nearest are walked from the index in distance order (KNN), not sorted. */
const assertWalksInDistanceOrder = (plan: string) => {
  assertReadsThroughIndex(plan)
  assert.match(plan, knnScan, plan)
}

// The pages the domain asks for: 20 a page (21 read), 50 (51), or 100 when filtering by openNow.
const queriesAfter = (after: NearbyQuery["after"]): ReadonlyArray<NearbyQuery> =>
  [5_000, 20_000].flatMap((radiusM) =>
    [21, 100].flatMap((limit) =>
      [undefined, "gas_depot" as const].map((type): NearbyQuery => ({ centre: tiassale, radiusM, type, after, limit }))
    )
  )

/**
 * Where the radius holds many times more providers than the page, the planner walks the index
 * in distance order. Where it expects only a page or two (a small radius, a rare type, far down
 * the list), it may rather read the radius's box through the index and sort those few rows,
 * which measured as fast here (0.2 to 0.6 ms either way): that is left to it.
 */
const expectsKnn = (query: NearbyQuery) => query.radiusM === 20_000 || (query.after === null && query.type === undefined)

layer(testLayer, { excludeTestServices: true, timeout: "60 seconds" })("nearby search plan", (it) => {
  it.effect("the first page is read from the GiST index in distance order", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [counted] = yield* sql<{ count: number }>`SELECT count(*)::int AS count FROM catalogue.providers`
      assert.strictEqual(counted?.count, providerCount)
      for (const query of queriesAfter(null)) {
        const plan = yield* planOf(query)
        if (expectsKnn(query)) assertWalksInDistanceOrder(plan)
        else assertReadsThroughIndex(plan)
        assertWalksInDistanceOrder(yield* genericPlanOf(query))
      }
    }))

  it.effect("so is a page after a cursor, near or far down the list", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const rows = yield* nearbyStatement(sql, { centre: tiassale, radiusM: 20_000, after: null, limit: 300 })
      assert.strictEqual(rows.length, 300)
      for (const row of [rows[20]!, rows[299]!]) {
        for (const query of queriesAfter({ distanceM: row.distanceM, id: row.id })) {
          const plan = yield* planOf(query)
          if (expectsKnn(query)) assertWalksInDistanceOrder(plan)
          else assertReadsThroughIndex(plan)
          assertWalksInDistanceOrder(yield* genericPlanOf(query))
        }
      }
      // And the page it plans continues the first one.
      const first = rows.slice(0, 21)
      const last = first.at(-1)!
      const next = yield* nearbyStatement(sql, { centre: tiassale, radiusM: 20_000, after: { distanceM: last.distanceM, id: last.id }, limit: 21 })
      assert.deepStrictEqual([...first, ...next].map((row) => row.id), rows.slice(0, 42).map((row) => row.id))
    }))
})
