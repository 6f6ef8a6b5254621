import { Layer } from "effect"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { OrderRepositoryMemory } from "@nelo/adapters/memory/OrderRepositoryMemory"
import { ProviderRepositoryMemory } from "@nelo/adapters/memory/ProviderRepositoryMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { OrderRepositoryPostgres } from "@nelo/adapters/postgres/OrderRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ProviderRepositoryPostgres } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { orderRepositoryContract } from "./orderRepositoryContract.ts"

orderRepositoryContract(
  "memory",
  Layer.mergeAll(OrderRepositoryMemory, ProviderRepositoryMemory, TransactionalMemory).pipe(Layer.provideMerge(Layer.mergeAll(ZoneRepositoryMemory, UserRepositoryMemory)))
)

// The run's database: every test reads only its own customers' and providers' orders.
orderRepositoryContract(
  "postgres",
  Layer.mergeAll(OrderRepositoryPostgres, ProviderRepositoryPostgres, UserRepositoryPostgres, TransactionalPostgres).pipe(Layer.provide(PostgresLayer))
)
