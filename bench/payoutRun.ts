// A payout run over many payees against the Wave fake (issue 13, "Benchmarks"): time and database
// work per payout, the worker's memory flat.
//   node bench/payoutRun.ts [--payees 10000] [--compare 1000] [--statementsPayees 500] [--concurrency 8]
//     [--sweepMs 1000] [--batchSize 500] [--logLevel info] [--timeoutSeconds 900]
//     [--logFile /var/log/postgresql/postgresql-15-main.log] [--workerHeapMb 0] [--keep]
// (node scripts/nelo.mjs exec node bench/payoutRun.ts ...). No baseline: time per payout, payouts/s,
// statements and Wave calls per payout, the worker's RSS; the small run against the large one.
//
// Data, in a database of its own (`nelo_bench_payouts`, BENCH_PAYOUTS_DATABASE renames it, dropped
// and made again each run, its Redis keys (BullMQ's, prefix the same name with dashes) removed
// before and after; `--keep` leaves both after): migrated by `nelo-admin db migrate`, then per
// phase `n` payees written in SQL, half providers (an owner user and a provider row), half drivers
// (a user): each an earnings account credited by one balanced ledger transaction of its own
// (platform revenue → earnings, type commission, 2 postings; batches of 5,000 per database
// transaction, the commit-time balance trigger checking each), the accounts' balances then set to
// their postings' sums, and a confirmed payout number (earnings.payout_accounts, confirmed 3 days
// ago, no hold). Amounts are multiples of 5 F (Wave's step): a payout takes all of the earnings.
//
// Phases, in this order, each on payees of its own: `statementsPayees` (log_statement = 'all' on
// the database: the statements per payout, from the server's log), `compare`, then `payees`. Each:
// the run made in this process by the domain (Payouts.startRun on the real adapters, Wave
// configured: what `nelo-admin payouts run` does), timed alone; then a fresh worker process
// (apps/worker/src/main.ts, PAYOUTS_SCHEDULE=off) finds the payouts by its sweep and sends them to
// the fake Wave (test/support/fakeWave.ts, served by this process), its RSS sampled every 100 ms,
// until every payout of the run has succeeded. Then the checks: every payout succeeded, Wave made
// exactly one payout per payout id (of the right amount), payouts in flight 0, every payee's
// earnings 0, no problem noted by the fake; at the end `nelo-admin wallet audit` clean.
// Results go to bench/results/payout-run-*.json.
import { spawnSync } from "node:child_process"
import { randomBytes, randomUUID } from "node:crypto"
import { mkdirSync, statSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { setTimeout as sleep } from "node:timers/promises"
import { ConfigProvider, Effect, Exit, Layer, ManagedRuntime, Option, References, Scope } from "effect"
import { SqlClient } from "effect/sql"
import { PayoutsLive } from "@nelo/adapters/contexts/EarningsLive"
import { defaultDatabaseUrl } from "@nelo/adapters/postgres/DatabaseConfig"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { Payouts } from "@nelo/domain/earnings/Payouts"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { fakeWave } from "../test/support/fakeWave.ts"
import { WalletPorts } from "@nelo/adapters/contexts/WalletLive"
import { readCpuMs, readRssMb, sampleMachine } from "./serverProcess.ts"
import { psqlOn, readFrom, statementsIn } from "./statementLog.ts"
import { startWorker, type WorkerProcess } from "./workerProcess.ts"
import { dropBenchDatabase } from "./dropBenchDatabase.ts"

const { values: options } = parseArgs({
  options: {
    payees: { type: "string", default: "10000" },
    compare: { type: "string", default: "1000" },
    statementsPayees: { type: "string", default: "500" },
    concurrency: { type: "string", default: "8" },
    sweepMs: { type: "string", default: "1000" },
    batchSize: { type: "string", default: "500" },
    logLevel: { type: "string", default: "info" },
    timeoutSeconds: { type: "string", default: "900" },
    logFile: { type: "string", default: "/var/log/postgresql/postgresql-15-main.log" },
    keep: { type: "boolean", default: false },
    /** The worker's V8 old-space cap in MB (NODE_OPTIONS=--max-old-space-size), 0 for Node's default: a worker holding every payout would not fit a small one. */
    workerHeapMb: { type: "string", default: "0" }
  }
})
const whole = (name: string, text: string, minimum: number, maximum: number) => {
  const value = Number(text)
  if (!Number.isInteger(value) || value < minimum || value > maximum) throw new Error(`--${name} must be an integer from ${minimum} to ${maximum}, not "${text}"`)
  return value
}
const settings = {
  payees: whole("payees", options.payees, 1, 200_000),
  compare: whole("compare", options.compare, 0, 200_000),
  statementsPayees: whole("statementsPayees", options.statementsPayees, 0, 10_000),
  concurrency: whole("concurrency", options.concurrency, 1, 512),
  sweepMs: whole("sweepMs", options.sweepMs, 10, 60_000),
  batchSize: whole("batchSize", options.batchSize, 1, 100_000),
  timeoutSeconds: whole("timeoutSeconds", options.timeoutSeconds, 10, 7_200),
  workerHeapMb: whole("workerHeapMb", options.workerHeapMb, 0, 65_536),
  logLevel: options.logLevel
}

const databaseName = process.env["BENCH_PAYOUTS_DATABASE"] ?? "nelo_bench_payouts"
if (!/^[a-z_][a-z0-9_]*$/u.test(databaseName)) throw new Error(`BENCH_PAYOUTS_DATABASE must be a plain lowercase name, not "${databaseName}"`)
const databaseUrl = (() => {
  const url = new URL(process.env["DATABASE_URL"] ?? defaultDatabaseUrl)
  url.pathname = `/${databaseName}`
  return url.toString()
})()
const redisPrefix = databaseName.replaceAll("_", "-")
const apiKey = `wave_ci_prod_${randomBytes(12).toString("hex")}`
const baseEnvironment: Readonly<Record<string, string>> = { DATABASE_URL: databaseUrl, REDIS_KEY_PREFIX: redisPrefix }

const say = (line: string) => process.stdout.write(`${line}\n`)
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits
const cliMainFile = fileURLToPath(new URL("../apps/cli/src/main.ts", import.meta.url))
const runCli = (environment: Readonly<Record<string, string>>, ...args: Array<string>) =>
  spawnSync(process.execPath, [cliMainFile, ...args], { env: { ...process.env, ...environment }, encoding: "utf8" })
const dropDatabase = () => dropBenchDatabase(databaseUrl, databaseName)
/** BullMQ's keys of earlier runs (completed jobs are kept a week) removed. */
const clearRedis = () => {
  const keys = spawnSync("redis-cli", ["--scan", "--pattern", `${redisPrefix}*`], { encoding: "utf8", maxBuffer: 1 << 30 }).stdout.split("\n").filter((key) => key !== "")
  for (let at = 0; at < keys.length; at += 500) spawnSync("redis-cli", ["del", ...keys.slice(at, at + 500)], { encoding: "utf8" })
  return keys.length
}
const psql = psqlOn(databaseUrl)

const envProvider = (environment: Readonly<Record<string, string>>) =>
  ConfigProvider.layer(ConfigProvider.fromEnvRecord(Object.fromEntries(Object.entries({ ...process.env, ...environment }).filter((entry): entry is [string, string] => entry[1] !== undefined))))

// ---------------------------------------------------------------------------------------------
// The payees, in SQL.

const batchSize = 5_000
let nextIndex = 0

interface Seeded {
  readonly payeeIds: ReadonlyArray<string>
  readonly accountIds: ReadonlyArray<string>
  readonly totalXof: number
}

/** `count` payees: users (and providers), earnings credited by a transaction each, confirmed numbers. */
const seedPayees = (count: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const revenue = yield* (yield* Ledger).platformRevenue
    const payeeIds: Array<string> = []
    const accountIds: Array<string> = []
    let totalXof = 0
    const now = Date.now()
    for (let start = 0; start < count; start += batchSize) {
      const size = Math.min(batchSize, count - start)
      const rows = Array.from({ length: size }, () => {
        const index = nextIndex++
        const kind = index % 2 === 0 ? "provider" : "driver"
        const amount = 1_000 + 5 * ((index * 7_919) % 2_000)
        totalXof += amount
        return { index, kind, userId: randomUUID(), providerId: randomUUID(), accountId: randomUUID(), transactionId: randomUUID(), amount, phone: `+2250793${String(index).padStart(6, "0")}` }
      })
      const payee = (row: (typeof rows)[number]) => row.kind === "provider" ? row.providerId : row.userId
      const providers = rows.filter((row) => row.kind === "provider")
      const at = new Date(now - 86_400_000)
      yield* sql.withTransaction(Effect.gen(function*() {
        yield* sql`
          INSERT INTO users.users (id, phone, full_name, language, roles, referral_code, created_at, updated_at)
          SELECT id, phone, 'Bénéficiaire ' || n, 'fr', CASE WHEN kind = 'provider' THEN ARRAY['client', 'provider'] ELSE ARRAY['client', 'driver'] END,
            'PAYB' || n, ${at}, ${at}
          FROM unnest(${rows.map((row) => row.userId)}::uuid[], ${rows.map((row) => row.phone)}::text[], ${rows.map((row) => row.index)}::int[], ${rows.map((row) => row.kind)}::text[]) AS s (id, phone, n, kind)`
        if (providers.length > 0) {
          yield* sql`
            INSERT INTO catalogue.providers (id, owner_id, type, name, search_name, location, created_at, updated_at)
            SELECT id, owner_id, 'restaurant', 'Maquis paie ' || n, 'maquis paie ' || n, ST_SetSRID(ST_MakePoint(-4.8225, 5.8985), 4326)::geography, ${at}, ${at}
            FROM unnest(${providers.map((row) => row.providerId)}::uuid[], ${providers.map((row) => row.userId)}::uuid[], ${providers.map((row) => row.index)}::int[]) AS s (id, owner_id, n)`
        }
        yield* sql`
          INSERT INTO wallet.accounts (id, kind, owner_id)
          SELECT id, kind || '_earnings', owner_id FROM unnest(${rows.map((row) => row.accountId)}::uuid[], ${rows.map((row) => row.kind)}::text[], ${rows.map(payee)}::uuid[]) AS s (id, kind, owner_id)`
        yield* sql`
          INSERT INTO wallet.transactions (id, type, idempotency_key, cause_kind, cause_id, reference, created_at)
          SELECT id, 'commission', 'bench-payouts-earned:' || id, 'system', 'bench-payouts', NULL, ${at}
          FROM unnest(${rows.map((row) => row.transactionId)}::uuid[]) AS s (id)`
        yield* sql`
          INSERT INTO wallet.postings (transaction_id, account_id, position, amount_xof, created_at, counts_as_outflow)
          SELECT s.id, p.account_id, p.position, p.amount, ${at}, false
          FROM unnest(${rows.map((row) => row.transactionId)}::uuid[], ${rows.map((row) => row.accountId)}::uuid[], ${rows.map((row) => row.amount)}::bigint[]) AS s (id, account_id, amount),
          LATERAL (VALUES (${revenue.id}::uuid, 0::smallint, -s.amount), (s.account_id, 1::smallint, s.amount)) AS p (account_id, position, amount)`
        yield* sql`
          UPDATE wallet.accounts a SET balance_xof = s.amount
          FROM unnest(${rows.map((row) => row.accountId)}::uuid[], ${rows.map((row) => row.amount)}::bigint[]) AS s (id, amount) WHERE a.id = s.id`
        const confirmedAt = new Date(now - 3 * 86_400_000)
        yield* sql`
          INSERT INTO earnings.payout_accounts (payee_kind, payee_id, holder_name, mobile, confirmed_at)
          SELECT kind, payee_id, 'Bénéficiaire ' || n, phone, ${confirmedAt}
          FROM unnest(${rows.map((row) => row.kind)}::text[], ${rows.map(payee)}::uuid[], ${rows.map((row) => row.index)}::int[], ${rows.map((row) => row.phone)}::text[]) AS s (kind, payee_id, n, phone)`
      }))
      payeeIds.push(...rows.map(payee))
      accountIds.push(...rows.map((row) => row.accountId))
    }
    yield* sql`UPDATE wallet.accounts SET balance_xof = (SELECT coalesce(sum(amount_xof), 0) FROM wallet.postings WHERE account_id = ${revenue.id}) WHERE id = ${revenue.id}`
    return { payeeIds, accountIds, totalXof } satisfies Seeded
  })

// ---------------------------------------------------------------------------------------------
// One phase: the run made, then sent by a fresh worker.

interface Phase {
  readonly name: string
  readonly payouts: number
  readonly createSeconds: number
  readonly sendSeconds: number
  readonly totalSeconds: number
  readonly payoutsPerSecond: number
  readonly msPerPayout: number
  readonly createMsPerPayout: number
  readonly sendMsPerPayout: number
  readonly waveCallsPerPayout: Readonly<Record<string, number>>
  readonly statements?: { readonly create: number; readonly send: number; readonly createPerPayout: number; readonly sendPerPayout: number; readonly createShapes: Record<string, number>; readonly sendShapes: Record<string, number> }
  readonly workerRssMb: { readonly start: number; readonly peak: number; readonly end: number; readonly growth: number; readonly samples: ReadonlyArray<readonly [number, number]> }
  readonly workerCpuMsPerPayout: number
  readonly postgresCpuMsPerPayout: number
  readonly machineCpuPercent: number
  /** Mean over the polls of the database's sessions waiting for a lock, and busy (active or in a transaction). */
  readonly sessions: { readonly waitingForLock: number; readonly busy: number }
  readonly checks: Readonly<Record<string, boolean>>
  readonly workerProblems: Readonly<Record<string, number>>
}

/** A statement's shape for counting: its first words, literals left as they are (they are parameters). */
const shapeOf = (statement: string) => {
  const text = statement.replace(/\s+/gu, " ").trim()
  if (/^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET|SHOW)\b/iu.test(text)) return text.split(" ")[0]!.toUpperCase()
  return text.slice(0, 90)
}
const countShapes = (statements: ReadonlyArray<string>, per: number) => {
  const counts: Record<string, number> = {}
  for (const statement of statements) {
    const shape = shapeOf(statement)
    counts[shape] = (counts[shape] ?? 0) + 1
  }
  return Object.fromEntries(Object.entries(counts).sort((left, right) => right[1] - left[1]).map(([shape, count]) => [shape, round(count / per, 2)]))
}

const startWave = () =>
  Effect.runPromise(Effect.gen(function*() {
    const scope = yield* Scope.make()
    const wave = yield* fakeWave({ apiKey }).pipe(Effect.provideService(Scope.Scope, scope))
    return { wave, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
  }))
type Wave = Awaited<ReturnType<typeof startWave>>["wave"]

const waveCallOf = (request: { readonly method: string; readonly url: string }) =>
  request.method === "POST" && request.url.startsWith("/v1/payout") ? "send" : request.url.startsWith("/v1/payouts/search") ? "search" : request.url.startsWith("/v1/payout/") ? "read" : `${request.method} ${request.url.split("?")[0]}`

const runPhase = async (name: string, count: number, wave: Wave, environment: Readonly<Record<string, string>>, withStatements: boolean): Promise<Phase> => {
  say(`${name}: ${count.toLocaleString("en")} payees`)
  if (withStatements) psql(`ALTER DATABASE ${databaseName} SET log_statement = 'all'`)
  // Built after the setting: only new sessions log.
  const runtime = ManagedRuntime.make(Layer.mergeAll(PayoutsLive, WalletPorts).pipe(
    Layer.provideMerge(PostgresLayer),
    Layer.provide(Layer.succeed(References.MinimumLogLevel, "Warn")),
    Layer.provide(envProvider(environment))
  ))
  const run = <A>(effect: Effect.Effect<A, unknown, any>) => runtime.runPromise(effect as never) as Promise<A>
  let worker: WorkerProcess | undefined
  try {
    const seededAt = Date.now()
    const seeded = await run(seedPayees(count))
    await run(Effect.gen(function*() { return yield* (yield* SqlClient.SqlClient).unsafe("VACUUM (ANALYZE) wallet.accounts, wallet.transactions, wallet.postings, earnings.payout_accounts, earnings.payouts, users.users, catalogue.providers") }))
    say(`  seeded in ${((Date.now() - seededAt) / 1_000).toFixed(1)} s`)

    // The run, made in this process (what `nelo-admin payouts run` does).
    const logStart = withStatements ? statSync(options.logFile).size : 0
    const createStarted = performance.now()
    const report = await run(Effect.gen(function*() { return yield* (yield* Payouts).startRun("bench payout run") }))
    const createSeconds = (performance.now() - createStarted) / 1_000
    if (Option.isNone(report)) throw new Error("no payout gateway configured: the run made nothing")
    const runId = report.value.run.id
    const made = report.value.payouts.length
    if (made !== count) throw new Error(`the run made ${made} payouts for ${count} payees (without number ${report.value.withoutNumber}, held ${report.value.held}, already open ${report.value.alreadyOpen})`)
    say(`  run ${runId}: ${made.toLocaleString("en")} payouts made in ${createSeconds.toFixed(2)} s (${round((createSeconds * 1_000) / made, 2)} ms each)`)
    const logAfterCreate = withStatements ? statSync(options.logFile).size : 0

    // The worker sends them.
    const waveBefore = wave.requests.length
    worker = await startWorker(environment, { startTimeoutMs: 60_000 })
    const pid = worker.pid
    const rssStart = readRssMb(pid) ?? 0
    let rssPeak = rssStart
    const samples: Array<readonly [number, number]> = []
    const sendStarted = performance.now()
    const cpuStart = readCpuMs(pid) ?? 0
    const machine = sampleMachine()
    const sampler = setInterval(() => {
      const rss = readRssMb(pid)
      if (rss === undefined) return
      rssPeak = Math.max(rssPeak, rss)
      samples.push([round((performance.now() - sendStarted) / 1_000, 1), round(rss, 1)])
    }, 100)
    const counts = () => run(Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      return yield* sql<{ status: string; count: number }>`SELECT status, count(*)::int AS count FROM earnings.payouts WHERE run_id = ${runId} GROUP BY status`
    }))
    // How many of the database's sessions wait for a lock, sampled with each poll: contention on shared rows.
    const waits = () => run(Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      return yield* sql<{ locked: number; active: number }>`
        SELECT count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS locked, count(*) FILTER (WHERE state = 'active' OR state = 'idle in transaction')::int AS active
        FROM pg_stat_activity WHERE datname = ${databaseName} AND pid <> pg_backend_pid()`
    }))
    const lockSamples: Array<{ locked: number; active: number }> = []
    let succeeded = 0
    let lastSaid = 0
    const deadline = Date.now() + settings.timeoutSeconds * 1_000
    for (;;) {
      const rows = await counts()
      lockSamples.push(...(await waits()))
      succeeded = rows.find((row) => row.status === "succeeded")?.count ?? 0
      if (succeeded === made) break
      if (worker.child.exitCode !== null) throw new Error(`the worker exited (${worker.child.exitCode}): ${worker.stderrTail()}`)
      if (Date.now() > deadline) throw new Error(`not every payout succeeded within ${settings.timeoutSeconds} s: ${JSON.stringify(rows)}`)
      if (Date.now() - lastSaid > 10_000) {
        lastSaid = Date.now()
        say(`    ${((performance.now() - sendStarted) / 1_000).toFixed(0)} s: ${JSON.stringify(Object.fromEntries(rows.map((row) => [row.status, row.count])))}, worker RSS ${readRssMb(pid)?.toFixed(0)} MB`)
      }
      await sleep(100)
    }
    const sendSeconds = (performance.now() - sendStarted) / 1_000
    clearInterval(sampler)
    const meanOf = (values: ReadonlyArray<number>) => values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length
    const sessions = { waitingForLock: round(meanOf(lockSamples.map((sample) => sample.locked)), 2), busy: round(meanOf(lockSamples.map((sample) => sample.active)), 2) }
    const host = machine.stop()
    const workerCpuMs = (readCpuMs(pid) ?? cpuStart) - cpuStart
    const rssEnd = readRssMb(pid) ?? 0
    // Settled: the worker idle a moment, what its sweep still does is counted too.
    await sleep(Math.max(500, settings.sweepMs * 2))
    const logAfterSend = withStatements ? statSync(options.logFile).size : 0
    const workerProblems = worker.problemCounts()
    const firstProblems = worker.problems().filter((line) => line.message !== "no payment gateway configured: wallet top-ups are refused").slice(0, 3)
    await worker.stop()
    worker = undefined

    const calls: Record<string, number> = {}
    for (const request of wave.requests.slice(waveBefore)) calls[waveCallOf(request)] = (calls[waveCallOf(request)] ?? 0) + 1
    const waveCallsPerPayout = Object.fromEntries(Object.entries(calls).map(([call, number]) => [call, round(number / made, 3)]))

    // The checks.
    const ours = await run(Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      return yield* sql<{ id: string; amountXof: string; status: string; gateway: string | null }>`SELECT id, amount_xof::text AS amount_xof, status, gateway FROM earnings.payouts WHERE run_id = ${runId}`
    }))
    const byReference = new Map<string, number>()
    const amountOf = new Map<string, string>()
    for (const payout of wave.payoutsCreated()) {
      byReference.set(payout.client_reference ?? "", (byReference.get(payout.client_reference ?? "") ?? 0) + 1)
      amountOf.set(payout.client_reference ?? "", payout.receive_amount)
    }
    const [ledger] = await run(Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      return yield* sql<{ inFlightXof: string; earningsXof: string; nonZero: number }>`
        SELECT (SELECT coalesce(sum(balance_xof), 0) FROM wallet.accounts WHERE kind = 'payouts_in_flight')::text AS in_flight_xof,
          coalesce(sum(balance_xof), 0)::text AS earnings_xof, count(*) FILTER (WHERE balance_xof <> 0)::int AS non_zero
        FROM wallet.accounts WHERE id = ANY(${seeded.accountIds}::uuid[])`
    }))
    const checks = {
      "every payout succeeded": ours.length === made && ours.every((payout) => payout.status === "succeeded" && payout.gateway === "wave"),
      "exactly one Wave payout per payout id, of its amount": ours.every((payout) => byReference.get(payout.id) === 1 && amountOf.get(payout.id) === payout.amountXof),
      "payouts_in_flight 0": ledger?.inFlightXof === "0",
      "every payee's earnings 0": ledger?.earningsXof === "0" && ledger.nonZero === 0,
      "the fake noted no problem": wave.problems.length === 0
    }

    let statements: Phase["statements"]
    if (withStatements) {
      const create = statementsIn(readFrom(options.logFile, logStart).slice(0, logAfterCreate - logStart), databaseName)
      const send = statementsIn(readFrom(options.logFile, logAfterCreate).slice(0, logAfterSend - logAfterCreate), databaseName)
        // This process's polls of the payouts' statuses are not the worker's work.
        .filter((statement) => !statement.startsWith("SELECT status, count(*)::int AS count FROM earnings.payouts WHERE run_id") && !statement.startsWith("SELECT count(*) FILTER (WHERE wait_event_type = 'Lock')"))
      statements = { create: create.length, send: send.length, createPerPayout: round(create.length / made, 2), sendPerPayout: round(send.length / made, 2), createShapes: countShapes(create, made), sendShapes: countShapes(send, made) }
    }
    const phase: Phase = {
      name,
      payouts: made,
      createSeconds: round(createSeconds, 2),
      sendSeconds: round(sendSeconds, 2),
      totalSeconds: round(createSeconds + sendSeconds, 2),
      payoutsPerSecond: round(made / (createSeconds + sendSeconds), 1),
      msPerPayout: round(((createSeconds + sendSeconds) * 1_000) / made, 3),
      createMsPerPayout: round((createSeconds * 1_000) / made, 3),
      sendMsPerPayout: round((sendSeconds * 1_000) / made, 3),
      waveCallsPerPayout,
      ...(statements === undefined ? {} : { statements }),
      workerRssMb: { start: round(rssStart), peak: round(rssPeak), end: round(rssEnd), growth: round(rssPeak - rssStart), samples: samples.filter((_, index) => index % 10 === 0) },
      workerCpuMsPerPayout: round(workerCpuMs / made, 3),
      postgresCpuMsPerPayout: round(host.postgresMs / made, 3),
      machineCpuPercent: round((host.machineMs / (sendSeconds * 1_000)) * 100),
      sessions,
      checks,
      workerProblems
    }
    say(`  sent in ${phase.sendSeconds} s; total ${phase.totalSeconds} s: ${phase.payoutsPerSecond} payouts/s, ${phase.msPerPayout} ms per payout (create ${phase.createMsPerPayout}, send ${phase.sendMsPerPayout})`)
    say(`  Wave calls per payout: ${JSON.stringify(waveCallsPerPayout)}; worker CPU ${phase.workerCpuMsPerPayout} ms/payout, Postgres ${phase.postgresCpuMsPerPayout} ms/payout, machine ${phase.machineCpuPercent} % (100 = one core); sessions busy ${sessions.busy}, waiting for a lock ${sessions.waitingForLock} (means)`)
    say(`  worker RSS: start ${phase.workerRssMb.start} MB, peak ${phase.workerRssMb.peak} MB, end ${phase.workerRssMb.end} MB (+${phase.workerRssMb.growth})`)
    if (statements !== undefined) {
      say(`  statements per payout: create ${statements.createPerPayout}, send ${statements.sendPerPayout}`)
      for (const [label, shapes] of [["create", statements.createShapes], ["send", statements.sendShapes]] as const) {
        for (const [shape, per] of Object.entries(shapes)) if (per >= 0.05) say(`    ${label} ${String(per).padStart(5)}  ${shape}`)
      }
    }
    if (Object.keys(workerProblems).length > 0) say(`  worker warnings/errors: ${JSON.stringify(workerProblems)}`)
    for (const line of firstProblems) say(`    ${JSON.stringify(line).slice(0, 600)}`)
    for (const [check, holds] of Object.entries(checks)) say(`  ${holds ? "ok  " : "FAIL"} ${check}`)
    return phase
  } finally {
    await worker?.stop()
    if (withStatements) psql(`ALTER DATABASE ${databaseName} RESET log_statement`)
    await runtime.dispose()
  }
}

const main = async () => {
  const started = new Date()
  say(`payout run: ${settings.payees.toLocaleString("en")} payees (compare ${settings.compare.toLocaleString("en")}, statements on ${settings.statementsPayees}), PAYOUTS_CONCURRENCY ${settings.concurrency}, sweep every ${settings.sweepMs} ms, ${settings.batchSize} per pass; ${databaseName}`)
  say(`  load average: ${spawnSync("uptime", { encoding: "utf8" }).stdout.trim()}`)
  dropDatabase()
  const migrated = runCli(baseEnvironment, "db", "migrate")
  if (migrated.status !== 0) throw new Error(`nelo-admin db migrate failed: ${migrated.stderr}${migrated.stdout}`)
  say(`  ${migrated.stdout.trim().split("\n").at(-1) ?? ""}; ${clearRedis()} Redis keys under ${redisPrefix} removed`)
  const { wave, close } = await startWave()
  const environment = {
    ...baseEnvironment,
    WAVE_PAYOUT_API_KEY: apiKey,
    WAVE_BASE_URL: wave.baseUrl,
    PAYOUTS_SCHEDULE: "off",
    PAYOUTS_SWEEP_INTERVAL_MS: String(settings.sweepMs),
    PAYOUTS_BATCH_SIZE: String(settings.batchSize),
    PAYOUTS_CONCURRENCY: String(settings.concurrency),
    SMS_PROVIDER: "console",
    PUSH_PROVIDER: "console",
    LOG_LEVEL: settings.logLevel,
    ...(settings.workerHeapMb > 0 ? { NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} --max-old-space-size=${settings.workerHeapMb}`.trim() } : {})
  }
  const phases: Array<Phase> = []
  let audit = ""
  try {
    if (settings.statementsPayees > 0) phases.push(await runPhase("statements", settings.statementsPayees, wave, environment, true))
    if (settings.compare > 0) phases.push(await runPhase("compare", settings.compare, wave, environment, false))
    phases.push(await runPhase("payees", settings.payees, wave, environment, false))
    const audited = runCli(baseEnvironment, "wallet", "audit")
    audit = `${audited.status}: ${audited.stdout.trim().split("\n").join(" | ")}`
    say(`wallet audit (exit ${audited.status}): ${audited.stdout.trim().split("\n").at(-1)}`)
    const small = phases.find((phase) => phase.name === "compare")
    const large = phases.find((phase) => phase.name === "payees")!
    const comparison = small === undefined ? undefined : {
      msPerPayoutRatio: round(large.msPerPayout / small.msPerPayout, 2),
      createMsPerPayoutRatio: round(large.createMsPerPayout / small.createMsPerPayout, 2),
      sendMsPerPayoutRatio: round(large.sendMsPerPayout / small.sendMsPerPayout, 2),
      rssGrowthMb: { small: small.workerRssMb.growth, large: large.workerRssMb.growth }
    }
    if (comparison !== undefined) say(`${large.payouts} vs ${small!.payouts}: time per payout ×${comparison.msPerPayoutRatio} (create ×${comparison.createMsPerPayoutRatio}, send ×${comparison.sendMsPerPayoutRatio}); worker RSS growth ${comparison.rssGrowthMb.large} MB vs ${comparison.rssGrowthMb.small} MB`)
    mkdirSync(new URL("./results/", import.meta.url), { recursive: true })
    const file = new URL(`./results/payout-run-${started.toISOString().replaceAll(":", "-")}.json`, import.meta.url)
    writeFileSync(file, JSON.stringify({ benchmark: "payout-run", startedAt: started.toISOString(), settings, cpus: cpus().length, node: process.version, phases, comparison, audit }, null, 2))
    say(`results: ${fileURLToPath(file)}`)
    const valid = audited.status === 0 && phases.every((phase) => Object.values(phase.checks).every(Boolean))
    if (!valid) process.exitCode = 2
  } finally {
    await close()
    if (!options.keep) {
      dropDatabase()
      clearRedis()
    }
  }
}

await main().catch((error: unknown) => {
  process.stderr.write(`payout-run: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exitCode = 1
})
process.exit(process.exitCode ?? 0)
