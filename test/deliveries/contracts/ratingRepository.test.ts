import { Layer } from "effect"
import { DeliveryRepositoryMemory } from "@nelo/adapters/memory/DeliveryRepositoryMemory"
import { DriverRepositoryMemory } from "@nelo/adapters/memory/DriverRepositoryMemory"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { OrderRepositoryMemory } from "@nelo/adapters/memory/OrderRepositoryMemory"
import { ProviderRepositoryMemory } from "@nelo/adapters/memory/ProviderRepositoryMemory"
import { RatingRepositoryMemory } from "@nelo/adapters/memory/RatingRepositoryMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { DeliveryRepositoryPostgres } from "@nelo/adapters/postgres/DeliveryRepositoryPostgres"
import { DriverRepositoryPostgres } from "@nelo/adapters/postgres/DriverRepositoryPostgres"
import { OrderRepositoryPostgres } from "@nelo/adapters/postgres/OrderRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ProviderRepositoryPostgres } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import { RatingRepositoryPostgres } from "@nelo/adapters/postgres/RatingRepositoryPostgres"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { ratingRepositoryContract } from "./ratingRepositoryContract.ts"

ratingRepositoryContract(
  "memory",
  Layer.mergeAll(RatingRepositoryMemory, DeliveryRepositoryMemory, DriverRepositoryMemory, OrderRepositoryMemory, ProviderRepositoryMemory, TransactionalMemory).pipe(
    Layer.provideMerge(Layer.mergeAll(ZoneRepositoryMemory, UserRepositoryMemory))
  )
)

// The run's database: every test reads only its own orders' ratings.
ratingRepositoryContract(
  "postgres",
  Layer.mergeAll(
    RatingRepositoryPostgres,
    DeliveryRepositoryPostgres,
    DriverRepositoryPostgres,
    OrderRepositoryPostgres,
    ProviderRepositoryPostgres,
    UserRepositoryPostgres,
    ZoneRepositoryPostgres,
    TransactionalPostgres
  ).pipe(Layer.provide(PostgresLayer))
)
