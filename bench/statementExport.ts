// A provider's statement exported as CSV through the real API (issue 13, "Benchmarks"): 100,000
// lines streamed with the API's memory bounded.
//   node bench/statementExport.ts [--lines 100000] [--compare 10000] [--keep]
// (node scripts/nelo.mjs exec node bench/statementExport.ts). No baseline: time, lines/s, and the
// API's peak RSS during each download against its RSS before it.
//
// Data, in a database of its own (`nelo_bench_statements`, BENCH_STATEMENTS_DATABASE to rename it,
// dropped and made again each run: `--keep` leaves it after): migrated by `nelo-admin db migrate`,
// Tiassalé seeded, two restaurants created through the catalogue's use case by their owner, and
// for each a month (November 2026) of settlements written straight in SQL, as Earnings.settle
// writes them (one ledger transaction `order-settlement:<order>` of type commission per order,
// its postings, and its record in earnings.settlements), balanced: the gateway clearing pays the
// provider's, a driver's and the platform's shares (no escrow detour: a statement reads only the
// provider's earnings account), the accounts' balances set to the sums of their postings at the
// end (`nelo-admin wallet audit` stays clean). One restaurant gets `lines` settlements, the other
// `compare`. Then the API (apps/http/src/main.ts, in its own process) is started, warmed up, and
// each CSV downloaded (GET /providers/{id}/earnings?from=2026-11-01&to=2026-11-30, Accept:
// text/csv, the owner's token), read as it arrives (counted, never kept), the API's RSS sampled
// every 20 ms. Each download is checked: one row per settlement, the last balance the account's.
// Results go to bench/results/statement-export-*.json.
import { spawnSync } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { ConfigProvider, Effect, Layer, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql"
import { AuthCryptoNode } from "@nelo/adapters/auth/AuthCryptoNode"
import { AuthPolicyFromConfig } from "@nelo/adapters/auth/AuthPolicyFromConfig"
import { TokenIssuerJose } from "@nelo/adapters/auth/TokenIssuerJose"
import { CatalogueLive } from "@nelo/adapters/contexts/CatalogueLive"
import { WalletPorts } from "@nelo/adapters/contexts/WalletLive"
import { IdGeneratorUuidV7, uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { defaultDatabaseUrl } from "@nelo/adapters/postgres/DatabaseConfig"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { SessionStorePostgres } from "@nelo/adapters/postgres/SessionStorePostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { makeOpenSession } from "@nelo/domain/auth/openSession"
import { Catalogue } from "@nelo/domain/catalogue/Catalogue"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import type { Phone } from "@nelo/domain/shared/Phone"
import { makeCreateUser } from "@nelo/domain/users/createUser"
import type { Role, User, UserId } from "@nelo/domain/users/User"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { readRssMb, sampleProcess, startServer, stopServer } from "./serverProcess.ts"
import { dropBenchDatabase } from "./dropBenchDatabase.ts"

const { values: options } = parseArgs({
  options: {
    lines: { type: "string", default: "100000" },
    compare: { type: "string", default: "10000" },
    keep: { type: "boolean", default: false },
    /** The API's V8 old-space cap in MB (--max-old-space-size), 0 for Node's default: a download that held the period would not fit a small one. */
    apiHeapMb: { type: "string", default: "0" }
  }
})
const lines = Number(options.lines)
const compare = Number(options.compare)
for (const [name, value] of [["lines", lines], ["compare", compare]] as const) {
  if (!Number.isInteger(value) || value < 1 || value > 2_000_000) throw new Error(`--${name} must be an integer from 1 to 2,000,000`)
}

const databaseName = process.env["BENCH_STATEMENTS_DATABASE"] ?? "nelo_bench_statements"
if (!/^[a-z_][a-z0-9_]*$/u.test(databaseName)) throw new Error(`BENCH_STATEMENTS_DATABASE must be a plain lowercase name, not "${databaseName}"`)
const databaseUrl = (() => {
  const url = new URL(process.env["DATABASE_URL"] ?? defaultDatabaseUrl)
  url.pathname = `/${databaseName}`
  return url.toString()
})()
const environment: Readonly<Record<string, string>> = { DATABASE_URL: databaseUrl, REDIS_KEY_PREFIX: "nelo-bench-statements" }

const say = (line: string) => process.stdout.write(`${line}\n`)
const cliMainFile = fileURLToPath(new URL("../apps/cli/src/main.ts", import.meta.url))
const apiMainFile = fileURLToPath(new URL("../apps/http/src/main.ts", import.meta.url))
const runCli = (...args: Array<string>) => {
  const run = spawnSync(process.execPath, [cliMainFile, ...args], { env: { ...process.env, ...environment }, encoding: "utf8" })
  if (run.status !== 0) throw new Error(`nelo-admin ${args.join(" ")} failed (${run.status ?? run.signal}): ${run.stderr}${run.stdout}`)
  return run.stdout
}
const dropDatabase = () => dropBenchDatabase(databaseUrl, databaseName)

const Fixtures = Layer.mergeAll(CatalogueLive, ZoneRepositoryPostgres, SessionStorePostgres, TokenIssuerJose, AuthPolicyFromConfig, AuthCryptoNode, IdGeneratorUuidV7, WalletPorts, UserRepositoryPostgres).pipe(
  Layer.provideMerge(Layer.mergeAll(PostgresLayer, RedisClientLayer)),
  Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(Object.fromEntries(Object.entries({ ...process.env, ...environment }).filter((entry): entry is [string, string] => entry[1] !== undefined)))))
)

const allDay = { weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, intervals: [{ opens: "00:00", closes: "24:00" }] })), exceptions: [] }
const monthStart = Date.UTC(2026, 10, 1)
const monthMs = 30 * 86_400_000
const batchSize = 5_000

/** A restaurant and its owner's access token. */
const restaurantOf = (index: number) =>
  Effect.gen(function*() {
    const owner = yield* (yield* makeCreateUser)({
      phone: `+2250797${String(index).padStart(6, "0")}` as Phone,
      fullName: `Propriétaire relevé ${index}`,
      language: "fr",
      roles: ["client", "provider"],
      referredBy: null,
      passwordHash: null,
      createdAt: new Date()
    })
    const actor = { userId: owner.id, roles: owner.roles as ReadonlyArray<Role> }
    const provider = yield* (yield* Catalogue).createProvider(actor, {
      type: "restaurant",
      name: `Maquis relevé ${index}`,
      description: "Restaurant du banc d'essai des relevés",
      location: { lat: 5.8985, lng: -4.8225 },
      landmark: "à côté de la pharmacie",
      hours: allDay as never
    })
    const signed = yield* Effect.flatMap(makeOpenSession, (openSession) => openSession({ id: owner.id, roles: owner.roles } as unknown as User, "nelo-bench"))
    return { providerId: provider.id, ownerId: owner.id as UserId, token: signed.accessToken }
  })

/**
 * `count` settlements of the provider spread over the month, in batches of one statement per table
 * (transactions, postings, records), each batch its own database transaction (the deferred balance
 * check runs at its commit); then the four accounts' balances set to the sums of their postings.
 */
const settlements = (providerId: string, count: number, seed: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const ledger = yield* Ledger
    const driverId = uuidV7(Date.now())
    const [providerEarnings, driverEarnings, revenue, clearing] = [
      yield* ledger.providerEarningsOf(providerId),
      yield* ledger.driverEarningsOf(driverId),
      yield* ledger.platformRevenue,
      yield* ledger.clearingOf("wave")
    ]
    for (let start = 0; start < count; start += batchSize) {
      const size = Math.min(batchSize, count - start)
      const at: Array<Date> = []
      const ids: Array<string> = []
      const orderIds: Array<string> = []
      const subtotals: Array<number> = []
      for (let index = start; index < start + size; index++) {
        const ms = monthStart + Math.floor((index * monthMs) / count) + seed
        at.push(new Date(ms))
        ids.push(uuidV7(ms))
        orderIds.push(uuidV7(ms))
        subtotals.push(1_500 + ((index * 7_919 + seed) % 40) * 250)
      }
      yield* sql.withTransaction(Effect.gen(function*() {
        // 15 % and 10 % of a 500 F fee: provider = subtotal − commission, driver 450, platform the commissions.
        yield* sql`
          INSERT INTO wallet.transactions (id, type, idempotency_key, cause_kind, cause_id, reference, created_at)
          SELECT id, 'commission', 'order-settlement:' || order_id, 'system', 'settlement', 'ORD-' || upper(substr(md5(order_id::text), 1, 8)), at
          FROM unnest(${ids}::uuid[], ${orderIds}::uuid[], ${at}::timestamptz[]) AS s (id, order_id, at)`
        yield* sql`
          INSERT INTO wallet.postings (transaction_id, account_id, position, amount_xof, created_at, counts_as_outflow)
          SELECT s.id, p.account_id, p.position, p.amount, s.at, false
          FROM unnest(${ids}::uuid[], ${subtotals}::bigint[], ${at}::timestamptz[]) AS s (id, subtotal, at),
          LATERAL (VALUES
            (${clearing.id}::uuid, 0::smallint, -(s.subtotal + 500)),
            (${providerEarnings.id}::uuid, 1::smallint, s.subtotal - s.subtotal * 1500 / 10000),
            (${driverEarnings.id}::uuid, 2::smallint, 450::bigint),
            (${revenue.id}::uuid, 3::smallint, s.subtotal * 1500 / 10000 + 50)
          ) AS p (account_id, position, amount)`
        yield* sql`
          INSERT INTO earnings.settlements (order_id, reference, provider_id, driver_id, transaction_id, settled_at, subtotal_xof, delivery_fee_xof,
            discount_xof, discount_funded_by, provider_basis_points, driver_basis_points, provider_commission_xof, driver_commission_xof,
            provider_refunds_xof, driver_refunds_xof, platform_refunds_xof, provider_net_xof, driver_net_xof, platform_net_xof)
          SELECT order_id, 'ORD-' || upper(substr(md5(order_id::text), 1, 8)), ${providerId}, ${driverId}, id, at, subtotal, 500,
            0, NULL, 1500, 1000, subtotal * 1500 / 10000, 50, 0, 0, 0, subtotal - subtotal * 1500 / 10000, 450, subtotal * 1500 / 10000 + 50
          FROM unnest(${ids}::uuid[], ${orderIds}::uuid[], ${subtotals}::bigint[], ${at}::timestamptz[]) AS s (id, order_id, subtotal, at)`
      }))
    }
    yield* sql`
      UPDATE wallet.accounts a SET balance_xof = (SELECT coalesce(sum(amount_xof), 0) FROM wallet.postings p WHERE p.account_id = a.id)
      WHERE a.id IN ${sql.in([providerEarnings.id, driverEarnings.id, revenue.id, clearing.id])}`
    return (yield* ledger.stateOf(providerEarnings.id)).balanceXof
  })

interface Download {
  readonly lines: number
  readonly bytes: number
  readonly seconds: number
  readonly linesPerSecond: number
  readonly firstByteMs: number
  readonly rssBeforeMb: number
  readonly peakRssMb: number
  readonly growthMb: number
  readonly lastBalanceXof: number
}

/** Downloads a statement's CSV, counting it as it arrives, the API's RSS sampled meanwhile. */
const download = async (url: string, pid: number, token: string): Promise<Download> => {
  const rssBeforeMb = readRssMb(pid) ?? 0
  const sampler = sampleProcess(pid, 20)
  const started = performance.now()
  const response = await fetch(`${url}?from=2026-11-01&to=2026-11-30`, { headers: { accept: "text/csv", authorization: `Bearer ${token}` } })
  if (response.status !== 200) throw new Error(`the export answered ${response.status}: ${await response.text()}`)
  const firstByteMs = performance.now() - started
  const decoder = new TextDecoder()
  let rows = 0
  let bytes = 0
  let tail = ""
  for await (const chunk of response.body!) {
    bytes += chunk.byteLength
    const text = tail + decoder.decode(chunk, { stream: true })
    const parts = text.split("\r\n")
    tail = parts.pop()!
    rows += parts.length
    if (parts.length > 0) lastRow = parts.at(-1)!
  }
  const seconds = (performance.now() - started) / 1_000
  const { peakRssMb } = sampler.stop()
  const lines = rows - 1 // the header
  const columns = "date,type,kind,reference,orderId,grossXof,commissionXof,discountXof,refundsXof,amountXof,balanceXof,transactionId,note".split(",")
  const lastBalanceXof = Number(lastRow.split(",")[columns.indexOf("balanceXof")])
  return { lines, bytes, seconds, linesPerSecond: Math.round(lines / seconds), firstByteMs: Math.round(firstByteMs), rssBeforeMb, peakRssMb, growthMb: peakRssMb - rssBeforeMb, lastBalanceXof }
}
let lastRow = ""

const main = async () => {
  const started = Date.now()
  say(`statement export: ${lines.toLocaleString("en")} lines (and ${compare.toLocaleString("en")} to compare) in ${databaseName}`)
  dropDatabase()
  say(`  ${runCli("db", "migrate").trim().split("\n").at(-1) ?? ""}`)
  const runtime = ManagedRuntime.make(Fixtures)
  const run = <A>(effect: Effect.Effect<A, unknown, any>) => runtime.runPromise(effect as never) as Promise<A>
  let api: Awaited<ReturnType<typeof startServer>> | undefined
  try {
    const [big, small] = await run(Effect.gen(function*() {
      yield* seedCity(tiassale)
      return [yield* restaurantOf(1), yield* restaurantOf(2)] as const
    }))
    const generated = Date.now()
    const [bigBalance, smallBalance] = await run(Effect.all([settlements(big.providerId, lines, 0), settlements(small.providerId, compare, 17)]))
    say(`  ${(lines + compare).toLocaleString("en")} settlements written in ${((Date.now() - generated) / 1_000).toFixed(1)} s`)
    await run(Effect.gen(function*() {
      yield* (yield* SqlClient.SqlClient).unsafe("VACUUM (ANALYZE) wallet.transactions, wallet.postings, wallet.accounts, earnings.settlements")
    }))

    const apiHeapMb = Number(options.apiHeapMb)
    api = await startServer("api", apiMainFile, environment, apiHeapMb > 0 ? [`--max-old-space-size=${apiHeapMb}`] : [])
    const server = api
    say(`  api: ${server.url} (pid ${server.pid}${apiHeapMb > 0 ? `, --max-old-space-size=${apiHeapMb}` : ""}), RSS ${readRssMb(server.pid)?.toFixed(0)} MB; warming up with the small export`)
    const path = (providerId: string) => `${server.url}/api/v1/providers/${providerId}/earnings`
    await download(path(small.providerId), server.pid, small.token)
    const results: Record<string, Download> = {}
    for (const [name, shop, expected, balance] of [["compare", small, compare, smallBalance], ["lines", big, lines, bigBalance], ["compare again", small, compare, smallBalance]] as const) {
      global.gc?.()
      const result = await download(path(shop.providerId), server.pid, shop.token)
      if (result.lines !== expected) throw new Error(`${name}: ${result.lines} lines, not ${expected}`)
      if (result.lastBalanceXof !== balance) throw new Error(`${name}: the last balance is ${result.lastBalanceXof}, the account holds ${balance}`)
      results[name] = result
      say(`  ${result.lines.toLocaleString("en").padStart(9)} lines: ${result.seconds.toFixed(2)} s, ${result.linesPerSecond.toLocaleString("en")} lines/s, ${(result.bytes / 1_048_576).toFixed(1)} MB, first byte ${result.firstByteMs} ms; API RSS ${result.rssBeforeMb.toFixed(0)} MB before, peak ${result.peakRssMb.toFixed(0)} MB (+${result.growthMb.toFixed(0)} MB)`)
    }
    const audit = runCli("wallet", "audit").trim().split("\n").at(-1)
    say(`  wallet audit: ${audit}`)
    mkdirSync(new URL("./results/", import.meta.url), { recursive: true })
    const file = new URL(`./results/statement-export-${new Date().toISOString().replaceAll(":", "-")}.json`, import.meta.url)
    writeFileSync(file, JSON.stringify({ lines, compare, apiHeapMb, cpus: cpus().length, node: process.version, results, audit, totalSeconds: (Date.now() - started) / 1_000 }, null, 2))
    say(`  results: ${fileURLToPath(file)}`)
  } finally {
    if (api !== undefined) await stopServer(api)
    await runtime.dispose()
    if (!options.keep) dropDatabase()
  }
}

await main()
