import { Layer } from "effect"
import { LedgerMemory } from "@nelo/adapters/memory/LedgerMemory"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { SettlementRecordStoreMemory } from "@nelo/adapters/memory/SettlementRecordStoreMemory"
import { LedgerPostgres } from "@nelo/adapters/postgres/LedgerPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { SettlementRecordStorePostgres } from "@nelo/adapters/postgres/SettlementRecordStorePostgres"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { settlementRecordStoreContract } from "./settlementRecordStoreContract.ts"

settlementRecordStoreContract("memory", Layer.mergeAll(SettlementRecordStoreMemory, LedgerMemory, TransactionalMemory))

// The run's database: every test names parties of its own.
settlementRecordStoreContract("postgres", Layer.mergeAll(SettlementRecordStorePostgres, LedgerPostgres, TransactionalPostgres).pipe(Layer.provide(PostgresLayer)))
