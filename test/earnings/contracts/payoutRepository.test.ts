import { Layer } from "effect"
import { PayoutRepositoryMemory } from "@nelo/adapters/memory/PayoutRepositoryMemory"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { PayoutRepositoryPostgres } from "@nelo/adapters/postgres/PayoutRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { payoutRepositoryContract } from "./payoutRepositoryContract.ts"

payoutRepositoryContract("memory", Layer.mergeAll(PayoutRepositoryMemory, TransactionalMemory))

// The run's database: every test names runs, payees and periods of its own.
payoutRepositoryContract("postgres", Layer.mergeAll(PayoutRepositoryPostgres, TransactionalPostgres).pipe(Layer.provide(PostgresLayer)))
