import { Layer } from "effect"
import { DriverRepositoryMemory } from "@nelo/adapters/memory/DriverRepositoryMemory"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { DriverRepositoryPostgres } from "@nelo/adapters/postgres/DriverRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { driverRepositoryContract } from "./driverRepositoryContract.ts"

driverRepositoryContract("memory", Layer.mergeAll(DriverRepositoryMemory, UserRepositoryMemory, ZoneRepositoryMemory, TransactionalMemory))

// The run's database: each test reads only its own drivers.
driverRepositoryContract(
  "postgres",
  Layer.mergeAll(DriverRepositoryPostgres, UserRepositoryPostgres, ZoneRepositoryPostgres, TransactionalPostgres).pipe(Layer.provide(PostgresLayer))
)
