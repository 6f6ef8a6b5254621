import { Effect, Layer } from "effect"
import { LedgerMemory } from "@nelo/adapters/memory/LedgerMemory"
import { OutboxStoreMemory } from "@nelo/adapters/memory/OutboxStoreMemory"
import { PaymentIntentRepositoryMemory } from "@nelo/adapters/memory/PaymentIntentRepositoryMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { LedgerPostgres } from "@nelo/adapters/postgres/LedgerPostgres"
import { OutboxStorePostgres } from "@nelo/adapters/postgres/OutboxStorePostgres"
import { PaymentIntentRepositoryPostgres } from "@nelo/adapters/postgres/PaymentIntentRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { withEnv } from "../../support/withEnv.ts"
import { paymentIntentRepositoryContract } from "./paymentIntentRepositoryContract.ts"

paymentIntentRepositoryContract(
  "memory",
  Layer.mergeAll(PaymentIntentRepositoryMemory, UserRepositoryMemory, LedgerMemory.pipe(Layer.provide(OutboxStoreMemory)))
)

// A database of its own: pending intents and unprocessed webhooks are listed across all users.
paymentIntentRepositoryContract(
  "postgres",
  Layer.unwrap(Effect.map(isolatedDatabase("payment_intents_contract"), (url) =>
    Layer.mergeAll(PaymentIntentRepositoryPostgres, UserRepositoryPostgres, LedgerPostgres.pipe(Layer.provide(OutboxStorePostgres))).pipe(
      Layer.provide(PostgresLayer),
      Layer.provide(withEnv({ DATABASE_URL: url }))
    )))
)
