import { randomBytes } from "node:crypto"
import { Context, Effect, Layer, References } from "effect"
import { PinCheckPorts } from "@nelo/adapters/contexts/AuthLive"
import { CataloguePorts } from "@nelo/adapters/contexts/CatalogueLive"
import { DeliveriesLive, DeliveriesPorts } from "@nelo/adapters/contexts/DeliveriesLive"
import { EarningsLive, EarningsPorts } from "@nelo/adapters/contexts/EarningsLive"
import { OrdersPorts } from "@nelo/adapters/contexts/OrdersLive"
import { WalletLive, WalletPorts } from "@nelo/adapters/contexts/WalletLive"
import { IdGeneratorUuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { PaymentGatewaysFromConfig } from "@nelo/adapters/payments/PaymentGatewaysFromConfig"
import { AddressRepositoryPostgres } from "@nelo/adapters/postgres/AddressRepositoryPostgres"
import { KycRepositoryPostgres } from "@nelo/adapters/postgres/KycRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { RedisClientLayer } from "@nelo/adapters/redis/RedisClient"
import { Orders } from "@nelo/domain/orders/Orders"
import { deleteRedisKeys } from "./globalSetup.ts"
import { isolatedDatabase } from "./isolatedDatabase.ts"
import { withEnv } from "./withEnv.ts"

// Tests that spawn a process (the CLI) or start the worker, and make the state it reads in their
// own process through the domain on the real adapters, with the memory tests' fixtures (they name
// ports only): the orders, deliveries and earnings contexts as the apps build them, with the ports
// those fixtures use.

/** The env of the test's own database and Redis prefix: what the worker or the CLI it starts reads. */
export class BedEnv extends Context.Service<BedEnv, Record<string, string>>()("test/support/BedEnv") {}

const contexts = Layer.mergeAll(Orders.layer, DeliveriesLive, EarningsLive).pipe(
  Layer.provideMerge(WalletLive),
  Layer.provideMerge(Layer.mergeAll(
    OrdersPorts,
    CataloguePorts,
    DeliveriesPorts,
    WalletPorts,
    EarningsPorts,
    PinCheckPorts,
    AddressRepositoryPostgres,
    ZoneRepositoryPostgres,
    UserRepositoryPostgres,
    KycRepositoryPostgres,
    IdGeneratorUuidV7,
    PaymentGatewaysFromConfig
  ))
)

/**
 * A database and a Redis prefix of the test file's own (the drivers dispatch finds around a
 * restaurant are only the file's, and the fixtures' numbered phones meet no other file's), `extra`
 * env on top, the contexts on them, and BedEnv.
 */
export const domainBed = (label: string, extra: Record<string, string> = {}) =>
  Layer.unwrap(Effect.gen(function*() {
    const databaseUrl = yield* isolatedDatabase(label)
    const prefix = `nelo-test-${label.replaceAll("_", "-")}-${randomBytes(4).toString("hex")}`
    yield* Effect.addFinalizer(() => Effect.promise(() => deleteRedisKeys(prefix)))
    const env = { DATABASE_URL: databaseUrl, REDIS_KEY_PREFIX: prefix, ...extra }
    return Layer.mergeAll(
      Layer.succeed(BedEnv, env),
      // The logs of the code under test (offers sent, orders settled...) are noise here; warnings still show.
      Layer.succeed(References.MinimumLogLevel, "Warn"),
      contexts.pipe(
        // Fresh: this file's own pool and Redis connection, never a memoized one of the run's.
        Layer.provideMerge(Layer.fresh(Layer.mergeAll(PostgresLayer, RedisClientLayer))),
        Layer.provide(withEnv(env)),
        // Built without the gateways' start-up warning (no gateway configured: none is used here).
        Layer.provide(Layer.succeed(References.MinimumLogLevel, "Error"))
      )
    )
  }))
