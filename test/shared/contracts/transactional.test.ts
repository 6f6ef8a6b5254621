import { Effect, Layer } from "effect"
import { LedgerMemory } from "@nelo/adapters/memory/LedgerMemory"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { OutboxStoreMemory } from "@nelo/adapters/memory/OutboxStoreMemory"
import { LedgerPostgres } from "@nelo/adapters/postgres/LedgerPostgres"
import { OutboxStorePostgres } from "@nelo/adapters/postgres/OutboxStorePostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { withEnv } from "../../support/withEnv.ts"
import { transactionalContract } from "./transactionalContract.ts"

transactionalContract("memory", Layer.mergeAll(TransactionalMemory, LedgerMemory, OutboxStoreMemory))

// A database of its own: the outbox's pending events are read whole.
transactionalContract("postgres", Layer.unwrap(Effect.map(isolatedDatabase("transactional_contract"), (url) =>
  Layer.mergeAll(TransactionalPostgres, LedgerPostgres, OutboxStorePostgres).pipe(
    Layer.provideMerge(PostgresLayer),
    Layer.provide(withEnv({ DATABASE_URL: url }))
  ))))
