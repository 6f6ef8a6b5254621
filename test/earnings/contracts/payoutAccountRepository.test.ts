import { Layer } from "effect"
import { PayoutAccountRepositoryMemory } from "@nelo/adapters/memory/PayoutAccountRepositoryMemory"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { PayoutAccountRepositoryPostgres } from "@nelo/adapters/postgres/PayoutAccountRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { payoutAccountRepositoryContract } from "./payoutAccountRepositoryContract.ts"

payoutAccountRepositoryContract("memory", Layer.mergeAll(PayoutAccountRepositoryMemory, TransactionalMemory))

// The run's database: every test names payees of its own.
payoutAccountRepositoryContract("postgres", Layer.mergeAll(PayoutAccountRepositoryPostgres, TransactionalPostgres).pipe(Layer.provide(PostgresLayer)))
