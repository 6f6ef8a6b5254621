// Data for the deliveries benchmarks (drivers-location, bench/dispatchLatency.ts,
// bench/dispatchHour.ts), made with the product's own code over the real adapters, in a database
// of their own so that nothing they write (orders, offers, ledger postings) reaches the dev
// database or the orders benchmarks':
//   - the database `nelo_bench_deliveries` on the same server (BENCH_DELIVERIES_DATABASE to rename
//     it), created and migrated by the admin CLI (`nelo-admin db migrate`), Tiassalé's zones seeded;
//     the dispatch scripts also put the orders benchmarks' restaurants and customers in it
//     (bench/orderFixtures.ts pointed at this database);
//   - two sets of drivers, each person made with makeCreateUser, registered on a motorbike by the
//     drivers' own use case (`Drivers.register`: the driver row and the `driver` role), home zone
//     where they live, their licence approved by the KYC store as an admin's approval writes it:
//       * `location` drivers (+225 07 96 xxxxxx), for drivers-location: never online, never offered
//         work (they hold no delivery, so a point never touches a trail);
//       * `dispatch` drivers (+225 07 95 xxxxxx), spread over Tiassalé's town box, for the dispatch
//         benchmarks (online or not as each run sets them);
//   - sessions opened with the domain's openSession (client + driver roles), as a sign-in does.
// Redis: each use its own key prefix (`nelo-bench-locations`, `nelo-bench-deliveries`): the
// drivers-location load moves its drivers in a GEO set that dispatch never searches.
// Everything is idempotent: a second run finds the people by their phones.
import { spawnSync } from "node:child_process"
import { randomUUID } from "node:crypto"
import { fileURLToPath } from "node:url"
import { ConfigProvider, Effect, Layer, ManagedRuntime, Option, References } from "effect"
import { SqlClient } from "effect/sql"
import { AuthCryptoNode } from "@nelo/adapters/auth/AuthCryptoNode"
import { AuthPolicyFromConfig } from "@nelo/adapters/auth/AuthPolicyFromConfig"
import { TokenIssuerJose } from "@nelo/adapters/auth/TokenIssuerJose"
import { DeliveriesLive, DeliveriesPorts } from "@nelo/adapters/contexts/DeliveriesLive"
import { IdGeneratorUuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { defaultDatabaseUrl } from "@nelo/adapters/postgres/DatabaseConfig"
import { KycRepositoryPostgres } from "@nelo/adapters/postgres/KycRepositoryPostgres"
import { migrations } from "@nelo/adapters/postgres/migrations/index"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { SessionStorePostgres } from "@nelo/adapters/postgres/SessionStorePostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { mulberry32 } from "@nelo/adapters/seeds/demoCatalogue"
import { makeOpenSession } from "@nelo/domain/auth/openSession"
import { Drivers } from "@nelo/domain/deliveries/Drivers"
import { LivePositions } from "@nelo/domain/deliveries/LivePositions"
import type { GeoPoint } from "@nelo/domain/geo/GeoPoint"
import { seedCity } from "@nelo/domain/geo/seedCity"
import { tiassale } from "@nelo/domain/geo/tiassale"
import { ZoneRepository } from "@nelo/domain/geo/ZoneRepository"
import type { Phone } from "@nelo/domain/shared/Phone"
import { makeCreateUser } from "@nelo/domain/users/createUser"
import { KycRepository } from "@nelo/domain/users/KycRepository"
import type { Role, User, UserId } from "@nelo/domain/users/User"

// ---------------------------------------------------------------------------------------------
// Where, and with which settings.

export const deliveriesDatabaseName = process.env["BENCH_DELIVERIES_DATABASE"] ?? "nelo_bench_deliveries"
if (!/^[a-z_][a-z0-9_]*$/u.test(deliveriesDatabaseName)) throw new Error(`BENCH_DELIVERIES_DATABASE must be a plain lowercase name, not "${deliveriesDatabaseName}"`)
export const deliveriesDatabaseUrl = (() => {
  const url = new URL(process.env["DATABASE_URL"] ?? defaultDatabaseUrl)
  url.pathname = `/${deliveriesDatabaseName}`
  return url.toString()
})()

/** What the dispatch benchmarks' API, worker and fixtures run with (on top of the machine's environment). */
export const deliveriesEnvironment: Readonly<Record<string, string>> = {
  DATABASE_URL: deliveriesDatabaseUrl,
  REDIS_KEY_PREFIX: "nelo-bench-deliveries",
  // The orders' fixtures reuse this (bench/orderFixtures.ts), out of reach as there: bench customers order many times a day.
  WALLET_DAILY_LIMIT_XOF: "1000000000000",
  WALLET_MONTHLY_LIMIT_XOF: "1000000000000",
  // Notices stay on this machine (the senders' development default, said out loud).
  SMS_PROVIDER: "console",
  PUSH_PROVIDER: "console"
}

/** drivers-location: the same database, positions under a Redis prefix of their own. */
export const locationEnvironment: Readonly<Record<string, string>> = {
  ...deliveriesEnvironment,
  REDIS_KEY_PREFIX: "nelo-bench-locations"
}

export type DriverSet = "location" | "dispatch"
const phonePrefix: Readonly<Record<DriverSet, string>> = { location: "+2250796", dispatch: "+2250795" }
const namePrefix: Readonly<Record<DriverSet, string>> = { location: "nelo-bench location driver ", dispatch: "nelo-bench dispatch driver " }
const phoneOf = (set: DriverSet, index: number) => `${phonePrefix[set]}${String(index).padStart(6, "0")}` as Phone

/** Tiassalé's town box (packages/domain/src/geo/tiassale.ts), a little inside its edges: every point in a quartier. */
export const townBox = { south: 5.8845, north: 5.9115, west: -4.8375, east: -4.8065 }
export const spotIn = (random: () => number): GeoPoint => ({
  lat: Math.round((townBox.south + random() * (townBox.north - townBox.south)) * 1e6) / 1e6,
  lng: Math.round((townBox.west + random() * (townBox.east - townBox.west)) * 1e6) / 1e6
})

export interface BenchDriver {
  readonly id: UserId
  /** Where he lives: his home zone's point, and where the runs put him first. */
  readonly home: GeoPoint
}

// ---------------------------------------------------------------------------------------------
// The runtime: the deliveries context and what the fixtures write with, on the bench database.

const say = (line: string) => process.stdout.write(`  deliveries: ${line}\n`)

const layerFor = (environment: Readonly<Record<string, string>>) =>
  Layer.mergeAll(DeliveriesLive, DeliveriesPorts, KycRepositoryPostgres, ZoneRepositoryPostgres, UserRepositoryPostgres, IdGeneratorUuidV7, SessionStorePostgres, TokenIssuerJose, AuthCryptoNode, AuthPolicyFromConfig).pipe(
    Layer.provideMerge(Layer.mergeAll(PostgresLayer, RedisClientLayer)),
    // The payments context's start-up warning (no gateway configured: dispatch takes no payment) is noise here.
    Layer.provide(Layer.succeed(References.MinimumLogLevel, "Error")),
    Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(Object.fromEntries(Object.entries({ ...process.env, ...environment }).filter((entry): entry is [string, string] => entry[1] !== undefined)))))
  )
type FixtureLayer = ReturnType<typeof layerFor>
type FixtureRuntime = ManagedRuntime.ManagedRuntime<Layer.Success<FixtureLayer>, Layer.Error<FixtureLayer>>

const runtimes = new Map<string, FixtureRuntime>()
/** One runtime per Redis prefix (the database is the same). */
export const deliveriesRuntime = (environment: Readonly<Record<string, string>> = deliveriesEnvironment): FixtureRuntime => {
  const key = environment["REDIS_KEY_PREFIX"] ?? ""
  let runtime = runtimes.get(key)
  if (runtime === undefined) {
    runtime = ManagedRuntime.make(layerFor(environment))
    runtimes.set(key, runtime)
  }
  return runtime
}

const cliMainFile = fileURLToPath(new URL("../apps/cli/src/main.ts", import.meta.url))
/** The admin CLI on the bench database; its output, or an error with it. */
export const runDeliveriesCli = (...args: Array<string>) => {
  const run = spawnSync(process.execPath, [cliMainFile, ...args], { env: { ...process.env, ...deliveriesEnvironment }, encoding: "utf8" })
  return { status: run.status, output: `${run.stdout}${run.stderr}` }
}

const dropDatabase = () => {
  const url = new URL(deliveriesDatabaseUrl)
  const drop = spawnSync("dropdb", ["-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "postgres"), "--if-exists", "--force", deliveriesDatabaseName], {
    env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
    encoding: "utf8"
  })
  if (drop.status !== 0) throw new Error(`dropdb ${deliveriesDatabaseName} failed: ${drop.stderr}`)
}

/** Ids of the migrations applied to the bench database that are not in this tree. */
const unknownMigrations = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const known = new Set(Object.keys(migrations).map((key) => Number(key.slice(0, key.indexOf("_")))))
  const applied = yield* sql<{ migrationId: number }>`SELECT migration_id FROM effect_sql_migrations`
  return applied.map((row) => Number(row.migrationId)).filter((id) => !known.has(id))
})

const migrate = () => {
  const migrated = runDeliveriesCli("db", "migrate")
  if (migrated.status !== 0) throw new Error(`nelo-admin db migrate failed on ${deliveriesDatabaseName}: ${migrated.output}`)
  return migrated.output.trim().split("\n").at(-1) ?? ""
}

let prepared: Promise<void> | undefined
/**
 * The bench database migrated (created on first use) and Tiassalé's zones seeded, once per process.
 * A database carrying a migration this tree does not have (work since reverted) is dropped and made again.
 */
export const prepareDeliveriesDatabase = (): Promise<void> =>
  (prepared ??= (async () => {
    say(`database ${deliveriesDatabaseName}: ${migrate()}`)
    const unknown = await deliveriesRuntime().runPromise(unknownMigrations)
    if (unknown.length > 0) {
      say(`database ${deliveriesDatabaseName} has migrations this tree does not know (${unknown.join(", ")}): dropping it and starting again`)
      await closeDeliveriesFixtures()
      dropDatabase()
      say(`database ${deliveriesDatabaseName}: ${migrate()}`)
    }
    await deliveriesRuntime().runPromise(Effect.asVoid(seedCity(tiassale)))
  })())

// ---------------------------------------------------------------------------------------------
// Drivers.

/** Registers, approves and returns `count` drivers of a set (those missing are made). */
const ensureDriversEffect = (set: DriverSet, count: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const createUser = yield* makeCreateUser
    const drivers = yield* Drivers
    const zones = yield* ZoneRepository
    const kyc = yield* KycRepository
    // Homes drawn in a fixed order, so that a driver keeps his from run to run.
    const random = mulberry32(set === "location" ? 20_261_212 : 20_261_213)
    const homes = Array.from({ length: count }, () => spotIn(random))
    const rows = yield* sql<{ id: UserId; phone: string; registered: boolean; kycStatus: string }>`
      SELECT u.id, u.phone, d.user_id IS NOT NULL AS registered, u.kyc_status
      FROM users.users u LEFT JOIN deliveries.drivers d ON d.user_id = u.id
      WHERE u.phone LIKE ${`${phonePrefix[set]}%`}`
    const byPhone = new Map(rows.map((row) => [row.phone, row]))
    const missing = homes.map((home, index) => ({ home, index, phone: phoneOf(set, index) })).filter(({ phone }) => {
      const row = byPhone.get(phone)
      return row === undefined || !row.registered || row.kycStatus !== "approved"
    })
    if (missing.length > 0) say(`registering ${missing.length} ${set} drivers (makeCreateUser, Drivers.register, KYC approved)...`)
    yield* Effect.forEach(missing, ({ home, index, phone }) =>
      Effect.gen(function*() {
        const existing = byPhone.get(phone)
        const userId = existing?.id ?? (yield* createUser({ phone, fullName: `${namePrefix[set]}${String(index).padStart(4, "0")}`, language: "fr", roles: ["client"], referredBy: null, passwordHash: null, createdAt: new Date() })).id
        if (existing?.registered !== true) {
          const zone = yield* zones.zoneAt(home)
          if (Option.isNone(zone)) return yield* Effect.die(new Error(`no zone at ${JSON.stringify(home)}`))
          yield* drivers.register({ userId, roles: ["client"] }, { vehicle: "motorbike", plate: `${String(1_000 + (index % 9_000))} BN 01`, zoneId: zone.value.zoneId })
        }
        if (existing?.kycStatus !== "approved") {
          yield* kyc.addDocument({ id: randomUUID(), userId, type: "driving_licence", storageKey: `kyc/${userId}/permis.pdf`, contentType: "application/pdf", sizeBytes: 1_000, uploadedAt: new Date() })
          yield* kyc.review(userId, { status: "approved" }, new Date())
        }
        byPhone.set(phone, { id: userId, phone, registered: true, kycStatus: "approved" })
      }), { concurrency: 8, discard: true })
    return homes.map((home, index): BenchDriver => ({ id: byPhone.get(phoneOf(set, index))!.id, home }))
  })

/** `count` drivers of a set, registered and KYC approved (made when missing), with their homes. */
export const ensureDrivers = async (set: DriverSet, count: number): Promise<ReadonlyArray<BenchDriver>> => {
  await prepareDeliveriesDatabase()
  const started = Date.now()
  const drivers = await deliveriesRuntime().runPromise(ensureDriversEffect(set, count))
  say(`${drivers.length} ${set} drivers ready in ${((Date.now() - started) / 1_000).toFixed(1)} s`)
  return drivers
}

/** One access token per driver (client and driver roles), opened as a sign-in opens it. */
export const openDriverSessions = (ids: ReadonlyArray<UserId>) =>
  deliveriesRuntime().runPromise(Effect.flatMap(makeOpenSession, (openSession) =>
    Effect.forEach(ids, (id) => Effect.map(openSession({ id, roles: ["client", "driver"] as ReadonlyArray<Role> } as unknown as User, "nelo-bench"), (signed) => signed.accessToken), { concurrency: 8 })))

/** The drivers of the location set who hold a delivery (none should: they are never online). */
export const driversHoldingDeliveries = (ids: ReadonlyArray<UserId>) =>
  deliveriesRuntime().runPromise(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ driverId: string }>`
      SELECT driver_id FROM deliveries.deliveries WHERE driver_id = ANY(${ids}::uuid[]) AND status IN ('assigned', 'picked_up', 'delivering')`
    return rows.map((row) => row.driverId)
  }))

/**
 * Each driver's phone sends where he is (the position written by the API's own adapter, recorded
 * now), then he goes online by the drivers' use case (KYC, freshness and cash cap checked) or offline.
 */
export const placeDrivers = (drivers: ReadonlyArray<{ readonly id: UserId; readonly at: GeoPoint }>, status: "online" | "offline", environment = deliveriesEnvironment) =>
  deliveriesRuntime(environment).runPromise(Effect.gen(function*() {
    const positions = yield* LivePositions
    const use = yield* Drivers
    yield* Effect.forEach(drivers, (driver) =>
      Effect.gen(function*() {
        yield* positions.record({ driverId: driver.id, location: driver.at, accuracyM: 10, headingDeg: null, speedMps: null, recordedAt: new Date() })
        yield* use.setStatus({ userId: driver.id, roles: ["client", "driver"] }, status)
      }), { concurrency: 8, discard: true })
  }))

/** Positions refreshed (a phone's point) without touching the status: keeps them fresh for matching. */
export const refreshPositions = (drivers: ReadonlyArray<{ readonly id: UserId; readonly at: GeoPoint }>, environment = deliveriesEnvironment) =>
  deliveriesRuntime(environment).runPromise(Effect.gen(function*() {
    const positions = yield* LivePositions
    yield* Effect.forEach(drivers, (driver) =>
      positions.record({ driverId: driver.id, location: driver.at, accuracyM: 10, headingDeg: null, speedMps: null, recordedAt: new Date() }), { concurrency: 16, discard: true })
  }))

/** Every driver of a set offline in the database (before a run chooses who is online). */
export const setAllOffline = (set: DriverSet) =>
  deliveriesRuntime().runPromise(Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: UserId }>`
      SELECT d.user_id AS id FROM deliveries.drivers d JOIN users.users u ON u.id = d.user_id
      WHERE u.phone LIKE ${`${phonePrefix[set]}%`} AND d.status = 'online'`
    const use = yield* Drivers
    yield* Effect.forEach(rows, (row) => use.setStatus({ userId: row.id, roles: ["client", "driver"] }, "offline"), { concurrency: 8, discard: true })
    return rows.length
  }))

/**
 * Runs an effect on the fixtures' runtime (SqlClient, the deliveries context, its ports). The
 * domain's info logs (dispatch's "offers sent"...) are left out: this process is the load, not a server.
 */
export const withDeliveries = <A, E>(effect: Effect.Effect<A, E, Layer.Success<FixtureLayer>>, environment = deliveriesEnvironment) =>
  deliveriesRuntime(environment).runPromise(Effect.provideService(effect, References.MinimumLogLevel, "Warn"))

/** Closes the fixtures' pools and Redis connections (the data stays in its own database). */
export const closeDeliveriesFixtures = async (): Promise<void> => {
  const open = [...runtimes.values()]
  runtimes.clear()
  await Promise.allSettled(open.map((runtime) => runtime.dispose()))
}
