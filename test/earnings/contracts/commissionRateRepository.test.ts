import { Layer } from "effect"
import { CommissionRateRepositoryMemory } from "@nelo/adapters/memory/CommissionRateRepositoryMemory"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { CommissionRateRepositoryPostgres } from "@nelo/adapters/postgres/CommissionRateRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { commissionRateRepositoryContract } from "./commissionRateRepositoryContract.ts"

commissionRateRepositoryContract("memory", Layer.mergeAll(CommissionRateRepositoryMemory, TransactionalMemory))

// The run's database: every test names parties of its own.
commissionRateRepositoryContract("postgres", Layer.mergeAll(CommissionRateRepositoryPostgres, TransactionalPostgres).pipe(Layer.provide(PostgresLayer)))
