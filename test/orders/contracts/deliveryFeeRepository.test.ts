import { Effect, Layer } from "effect"
import { DeliveryFeeRepositoryMemory } from "@nelo/adapters/memory/DeliveryFeeRepositoryMemory"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { DeliveryFeeRepositoryPostgres } from "@nelo/adapters/postgres/DeliveryFeeRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { withEnv } from "../../support/withEnv.ts"
import { deliveryFeeRepositoryContract } from "./deliveryFeeRepositoryContract.ts"

deliveryFeeRepositoryContract("memory", Layer.mergeAll(DeliveryFeeRepositoryMemory, TransactionalMemory))

// A database of its own: the schedule in force is the whole table's latest row.
deliveryFeeRepositoryContract(
  "postgres",
  Layer.unwrap(Effect.map(isolatedDatabase("delivery_fees_contract"), (url) =>
    Layer.mergeAll(DeliveryFeeRepositoryPostgres, TransactionalPostgres).pipe(Layer.provide(PostgresLayer), Layer.provide(withEnv({ DATABASE_URL: url })))))
)
