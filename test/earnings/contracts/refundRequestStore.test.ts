import { Layer } from "effect"
import { LedgerMemory } from "@nelo/adapters/memory/LedgerMemory"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { RefundRequestStoreMemory } from "@nelo/adapters/memory/RefundRequestStoreMemory"
import { LedgerPostgres } from "@nelo/adapters/postgres/LedgerPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { RefundRequestStorePostgres } from "@nelo/adapters/postgres/RefundRequestStorePostgres"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { refundRequestStoreContract } from "./refundRequestStoreContract.ts"

refundRequestStoreContract("memory", Layer.mergeAll(RefundRequestStoreMemory, LedgerMemory, TransactionalMemory))

// The run's database: every test uses keys of its own.
refundRequestStoreContract("postgres", Layer.mergeAll(RefundRequestStorePostgres, LedgerPostgres, TransactionalPostgres).pipe(Layer.provide(PostgresLayer)))
