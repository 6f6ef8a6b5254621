import { Effect, Layer } from "effect"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { OrderRepositoryMemory } from "@nelo/adapters/memory/OrderRepositoryMemory"
import { PromotionRepositoryMemory } from "@nelo/adapters/memory/PromotionRepositoryMemory"
import { ProviderRepositoryMemory } from "@nelo/adapters/memory/ProviderRepositoryMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { OrderRepositoryPostgres } from "@nelo/adapters/postgres/OrderRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { PromotionRepositoryPostgres } from "@nelo/adapters/postgres/PromotionRepositoryPostgres"
import { ProviderRepositoryPostgres } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { withEnv } from "../../support/withEnv.ts"
import { promotionRepositoryContract } from "./promotionRepositoryContract.ts"

promotionRepositoryContract(
  "memory",
  Layer.mergeAll(PromotionRepositoryMemory, OrderRepositoryMemory, ProviderRepositoryMemory, TransactionalMemory).pipe(
    Layer.provideMerge(Layer.mergeAll(ZoneRepositoryMemory, UserRepositoryMemory))
  )
)

// A database of its own: promotions are listed across everyone, and automatic ones apply to every provider.
promotionRepositoryContract(
  "postgres",
  Layer.unwrap(Effect.map(isolatedDatabase("promotions_contract"), (url) =>
    Layer.mergeAll(PromotionRepositoryPostgres, OrderRepositoryPostgres, ProviderRepositoryPostgres, UserRepositoryPostgres, TransactionalPostgres).pipe(
      Layer.provide(PostgresLayer),
      Layer.provide(withEnv({ DATABASE_URL: url }))
    )))
)
