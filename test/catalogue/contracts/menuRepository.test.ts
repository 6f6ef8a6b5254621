import { Layer } from "effect"
import { MenuRepositoryMemory } from "@nelo/adapters/memory/MenuRepositoryMemory"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { ProviderRepositoryMemory } from "@nelo/adapters/memory/ProviderRepositoryMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { MenuRepositoryPostgres } from "@nelo/adapters/postgres/MenuRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ProviderRepositoryPostgres } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { menuRepositoryContract } from "./menuRepositoryContract.ts"

menuRepositoryContract(
  "memory",
  Layer.mergeAll(MenuRepositoryMemory, ProviderRepositoryMemory, TransactionalMemory).pipe(Layer.provideMerge(Layer.mergeAll(ZoneRepositoryMemory, UserRepositoryMemory)))
)
menuRepositoryContract(
  "postgres",
  Layer.mergeAll(MenuRepositoryPostgres, ProviderRepositoryPostgres, UserRepositoryPostgres, ZoneRepositoryPostgres, TransactionalPostgres).pipe(Layer.provide(PostgresLayer))
)
