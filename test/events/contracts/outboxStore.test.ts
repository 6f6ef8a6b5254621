import { Effect, Layer } from "effect"
import { OutboxStoreMemory } from "@nelo/adapters/memory/OutboxStoreMemory"
import { OutboxStorePostgres } from "@nelo/adapters/postgres/OutboxStorePostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { withEnv } from "../../support/withEnv.ts"
import { outboxStoreContract } from "./outboxStoreContract.ts"

outboxStoreContract("memory", OutboxStoreMemory)
outboxStoreContract(
  "postgres",
  Layer.unwrap(Effect.map(isolatedDatabase("outbox_contract"), (url) =>
    OutboxStorePostgres.pipe(Layer.provide(PostgresLayer), Layer.provide(withEnv({ DATABASE_URL: url })))))
)
