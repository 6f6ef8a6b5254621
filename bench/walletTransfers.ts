// Wallet transfers benchmark:
//   node bench/walletTransfers.ts [--connections 32] [--durationSeconds 20] [--warmupSeconds 5] [--wallets 1000] [--pgbenchScale 32]
// The issue's measure: POST /api/v1/wallet/transfer over HTTP, 32 concurrent clients, random pairs
// among 1,000 funded wallets, each request with its own idempotency key and the right PIN, against
// pgbench's built-in TPC-B script run in the same session on the same Postgres server with the
// same number of clients (a transfer is a similar amount of locking work: TPC-B updates three
// balance rows and inserts a history row; a transfer locks two accounts, checks a limit, inserts a
// transaction and two postings). pgbench runs before and after the API, the ratio uses their mean.
// Both start on vacuumed tables (pgbench vacuums its own; the ledger's are vacuumed here).
// Afterwards the ledger is audited (every balance re-derived from the postings): any difference
// makes the run invalid. The bench users and their wallets stay in the database: wallets cannot be
// deleted (the ledger is append-only), and the next run reuses them (idempotent funding).
import { spawnSync } from "node:child_process"
import { randomUUID } from "node:crypto"
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { Effect, Layer, ManagedRuntime } from "effect"
import { SqlClient } from "effect/sql"
import { AuthCryptoNode } from "@nelo/adapters/auth/AuthCryptoNode"
import { AuthPolicyFromConfig } from "@nelo/adapters/auth/AuthPolicyFromConfig"
import { PasswordHasherArgon2 } from "@nelo/adapters/auth/PasswordHasherArgon2"
import { TokenIssuerJose } from "@nelo/adapters/auth/TokenIssuerJose"
import { IdGeneratorUuidV7, uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { LedgerPostgres } from "@nelo/adapters/postgres/LedgerPostgres"
import { OutboxStorePostgres } from "@nelo/adapters/postgres/OutboxStorePostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { SessionStorePostgres } from "@nelo/adapters/postgres/SessionStorePostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { RateLimiterRedis } from "@nelo/adapters/redis/RateLimiterRedis"
import { makeOpenSession } from "@nelo/domain/auth/openSession"
import { makeSetPin } from "@nelo/domain/auth/pin"
import type { User, UserId } from "@nelo/domain/users/User"
import { auditFacts } from "@nelo/domain/wallet/auditLedger"
import { WrongPinObserver } from "@nelo/domain/auth/WrongPinObserver"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { load } from "./load.ts"
import type { Scenario } from "./scenarios.ts"
import { startServer, stopServer } from "./serverProcess.ts"
import { xof } from "@nelo/domain/shared/Xof"

const { values: options } = parseArgs({
  options: {
    connections: { type: "string", default: "32" },
    durationSeconds: { type: "string", default: "20" },
    warmupSeconds: { type: "string", default: "5" },
    wallets: { type: "string", default: "1000" },
    pgbenchScale: { type: "string", default: "32" },
    /** 0–9: which set of bench wallets (each keeps its history); a new set starts with short histories. */
    walletSet: { type: "string", default: "0" },
    /** A directory: the API writes a V8 CPU profile of the run there (node --cpu-prof). */
    cpuProfileDirectory: { type: "string" }
  }
})
const connections = Number(options.connections)
const durationSeconds = Number(options.durationSeconds)
const warmupSeconds = Number(options.warmupSeconds)
const walletCount = Number(options.wallets)
const pgbenchScale = Number(options.pgbenchScale)
const walletSet = Number(options.walletSet)
if (!Number.isInteger(walletSet) || walletSet < 0 || walletSet > 9 || walletCount > 99_999) throw new Error("--walletSet is 0 to 9, --wallets at most 99,999")

const apiMainFile = fileURLToPath(new URL("../apps/http/src/main.ts", import.meta.url))
const resultsDirectory = fileURLToPath(new URL("./results/", import.meta.url))
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/nelo"
const pgbenchDatabase = "nelo_pgbench"

// MTN mobiles +225 05 9<set> 000000..: the bench wallets' owners, recognisable by number and name.
const benchPhonePrefix = `+225059${walletSet}`
const benchNamePrefix = "nelo-bench wallet "
const benchPin = "2580"
// Enough for any run (transfers are 5 to 200 F) and far below the day's limit of a wallet
// without KYC, which transfers of a 20 s run never reach.
const fundingXof = 1_000_000

const Fixtures = Layer.mergeAll(LedgerPostgres, SessionStorePostgres, UserRepositoryPostgres, PasswordHasherArgon2, TokenIssuerJose, RateLimiterRedis).pipe(
  Layer.provideMerge(Layer.mergeAll(OutboxStorePostgres, AuthCryptoNode, AuthPolicyFromConfig, IdGeneratorUuidV7, WrongPinObserver.ignoring)),
  Layer.provideMerge(Layer.mergeAll(PostgresLayer, RedisClientLayer))
)
const runtime = ManagedRuntime.make(Fixtures)

/** The bench's people: created once, each with a PIN, a funded wallet, and a fresh session. */
const prepareWallets = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const now = Date.now()
  const rows = Array.from({ length: walletCount }, (_, index): Record<string, unknown> => ({
    id: uuidV7(now + index),
    phone: `${benchPhonePrefix}${String(index).padStart(6, "0")}`,
    fullName: `${benchNamePrefix}${String(index).padStart(4, "0")}`,
    email: null,
    language: "fr",
    roles: ["client"],
    referralCode: `BW${walletSet}${String(index).padStart(5, "0")}`,
    createdAt: new Date(now),
    updatedAt: new Date(now)
  }))
  yield* sql`INSERT INTO users.users ${sql.insert(rows as [Record<string, unknown>, ...Array<Record<string, unknown>>])} ON CONFLICT DO NOTHING`
  const people = yield* sql<{ id: UserId; phone: string; hasPin: boolean }>`
    SELECT id, phone, pin_hash IS NOT NULL AS has_pin FROM users.users
    WHERE phone LIKE ${`${benchPhonePrefix}%`} AND full_name LIKE ${`${benchNamePrefix}%`} ORDER BY phone LIMIT ${walletCount}`
  if (people.length !== walletCount) return yield* Effect.die(new Error(`expected ${walletCount} bench users, found ${people.length}`))
  const ledger = yield* Ledger
  const setPin = yield* makeSetPin
  const openSession = yield* makeOpenSession
  const clearing = yield* ledger.clearingOf("wave")
  yield* Effect.forEach(people, (person) =>
    Effect.gen(function*() {
      if (!person.hasPin) yield* setPin(person.id, { pin: benchPin })
      const wallet = yield* ledger.walletOf(person.id)
      const state = yield* ledger.stateOf(wallet.id)
      // A run with the fan-out rule on (an earlier version of this bench) froze wallets: thaw them.
      if (state.freeze !== null) yield* ledger.setFreeze(wallet.id, { unfreeze: { reason: "bench", causedBy: { kind: "system", id: "bench" }, at: new Date() } })
      if (state.balanceXof >= fundingXof / 2) return
      yield* ledger.post({
        transaction: {
          id: uuidV7(Date.now()),
          type: "topup",
          idempotencyKey: `bench-funding:${person.id}:${randomUUID()}`,
          postings: [{ accountId: clearing.id, amountXof: xof(-fundingXof) }, { accountId: wallet.id, amountXof: xof(fundingXof) }],
          cause: { kind: "system", id: "bench" },
          reversesId: null,
          note: null,
          reference: null,
          createdAt: new Date()
        }
      })
    }), { concurrency: 8, discard: true })
  const sessions = yield* Effect.forEach(people, (person) => openSession({ id: person.id, roles: ["client"] } as unknown as User, "nelo-bench"), { concurrency: 8 })
  // Both sides start vacuumed, as autovacuum keeps a production database (it is off on some dev
  // machines, and without it the index-only reads of the checks visit every dead row): pgbench
  // vacuums its own tables before its runs, this does the ledger's.
  yield* sql.unsafe("VACUUM (ANALYZE) wallet.accounts, wallet.transactions, wallet.postings, wallet.transfer_pairs")
  // The wallets keep their history from run to run: how long it is says what each check reads.
  const [history] = yield* sql<{ postingsPerWallet: number }>`
    SELECT (count(*)::float / ${walletCount})::float AS postings_per_wallet FROM wallet.postings p
    JOIN wallet.accounts a ON a.id = p.account_id AND a.kind = 'customer_wallet'
    WHERE a.owner_id IN ${sql.in(people.map((person) => person.id))}`
  return {
    postingsPerWallet: Math.round(history?.postingsPerWallet ?? 0),
    wallets: people.map((person, index) => ({ phone: person.phone, bearer: `Bearer ${sessions[index]!.accessToken}` }))
  }
})

/** pgbench's TPC-B (tpcb-like) on its own database of the same server; transactions per second and mean latency. */
const runPgbench = () => {
  const url = new URL(databaseUrl)
  const connection = ["-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "postgres")]
  const environment = { ...process.env, PGPASSWORD: decodeURIComponent(url.password) }
  const initialised = spawnSync("psql", [...connection, "-d", pgbenchDatabase, "-tAc", "SELECT count(*) FROM pgbench_branches"], { env: environment, encoding: "utf8" })
  if (initialised.status !== 0 || Number(initialised.stdout.trim()) !== pgbenchScale) {
    spawnSync("createdb", [...connection, pgbenchDatabase], { env: environment, encoding: "utf8" })
    const init = spawnSync("pgbench", [...connection, "-i", "-q", "-s", String(pgbenchScale), pgbenchDatabase], { env: environment, encoding: "utf8" })
    if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`)
  }
  const run = spawnSync("pgbench", [...connection, "-c", String(connections), "-j", String(Math.min(connections, cpus().length)), "-T", String(durationSeconds), "-b", "tpcb-like", pgbenchDatabase], { env: environment, encoding: "utf8" })
  if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr}`)
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/u.exec(run.stdout)?.[1])
  const latencyMeanMs = Number(/latency average = ([\d.]+) ms/u.exec(run.stdout)?.[1])
  const failed = Number(/number of failed transactions: (\d+)/u.exec(run.stdout)?.[1] ?? 0)
  return { tps, latencyMeanMs, failed }
}

const transferScenario = { method: "POST" } as Scenario

const main = async () => {
  console.log(`preparing ${walletCount} funded wallets with PINs and sessions...`)
  const { wallets, postingsPerWallet } = await runtime.runPromise(prepareWallets)
  // Random pairs among 1,000 wallets are exactly what the fan-out rule catches (many new receivers
  // within the hour): it is set out of reach here, as it would freeze every bench wallet in seconds.
  const api = await startServer("api", apiMainFile, { WALLET_FREEZE_AFTER_NEW_RECEIVERS_PER_HOUR: "1000000000" },
    options.cpuProfileDirectory === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDirectory}`])
  let wrongAnswers = 0
  const statuses = new Map<number, number>()
  const random = (limit: number) => Math.floor(Math.random() * limit)
  const extras = {
    requests: [{
      setupRequest: (request: any) => {
        const from = random(wallets.length)
        let to = random(wallets.length - 1)
        if (to >= from) to += 1
        request.headers = { ...request.headers, "content-type": "application/json", authorization: wallets[from]!.bearer }
        request.body = JSON.stringify({ toPhone: wallets[to]!.phone, amount: 5 + random(196), pin: benchPin, idempotencyKey: randomUUID() })
        return request
      },
      onResponse: (status: number) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        if (status !== 201) wrongAnswers += 1
      }
    }]
  }
  try {
    console.log("pgbench (before)...")
    const before = runPgbench()
    console.log(`  ${before.tps.toFixed(0)} tps, mean ${before.latencyMeanMs} ms`)
    console.log("API warm-up...")
    await load(`${api.url}/api/v1/wallet/transfer`, transferScenario, extras, connections, warmupSeconds)
    statuses.clear()
    wrongAnswers = 0
    console.log("API measured run...")
    const measured = await load(`${api.url}/api/v1/wallet/transfer`, transferScenario, extras, connections, durationSeconds)
    const apiWrong = wrongAnswers
    console.log("pgbench (after)...")
    const after = runPgbench()
    const report = await runtime.runPromise(Ledger.use((ledger) => Effect.map(ledger.facts, auditFacts)))
    const pgbenchTps = (before.tps + after.tps) / 2
    const transfersPerSecond = measured.result.requests.mean
    const figures = {
      at: new Date().toISOString(),
      settings: { connections, durationSeconds, warmupSeconds, walletCount, walletSet, pgbenchScale, cpus: cpus().length, postingsPerWalletBefore: postingsPerWallet },
      api: { transfersPerSecond, latencyP50Ms: measured.latencyP50Ms, latencyP99Ms: measured.latencyP99Ms, completed: measured.result.requests.total, errors: measured.result.errors, timeouts: measured.result.timeouts, non201: apiWrong, statuses: Object.fromEntries(statuses) },
      pgbench: { before, after, meanTps: pgbenchTps },
      ratio: transfersPerSecond / pgbenchTps,
      audit: { accounts: report.accounts, transactions: report.transactions, differences: report.differences.length }
    }
    console.log(JSON.stringify(figures, null, 2))
    mkdirSync(resultsDirectory, { recursive: true })
    writeFileSync(`${resultsDirectory}wallet-transfers-${figures.at.replace(/[:.]/gu, "-")}.json`, JSON.stringify(figures, null, 2))
    const valid = apiWrong === 0 && measured.result.errors === 0 && report.differences.length === 0
    if (!valid) console.error("NOT A MEASUREMENT: non-201 answers, errors or audit differences")
    process.exitCode = valid ? 0 : 2
  } finally {
    await stopServer(api)
    await runtime.dispose()
  }
}

await main()
