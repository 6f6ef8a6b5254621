import { Layer } from "effect"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { ProviderRepositoryMemory } from "@nelo/adapters/memory/ProviderRepositoryMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ProviderRepositoryPostgres } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { providerRepositoryContract } from "./providerRepositoryContract.ts"

providerRepositoryContract("memory", Layer.merge(ProviderRepositoryMemory, TransactionalMemory).pipe(Layer.provideMerge(Layer.mergeAll(ZoneRepositoryMemory, UserRepositoryMemory))))
providerRepositoryContract(
  "postgres",
  Layer.mergeAll(ProviderRepositoryPostgres, UserRepositoryPostgres, ZoneRepositoryPostgres, TransactionalPostgres).pipe(Layer.provide(PostgresLayer))
)
