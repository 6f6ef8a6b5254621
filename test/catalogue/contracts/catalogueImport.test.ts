import { Layer } from "effect"
import { CatalogueImportMemory } from "@nelo/adapters/memory/CatalogueImportMemory"
import { MenuRepositoryMemory } from "@nelo/adapters/memory/MenuRepositoryMemory"
import { ProviderRepositoryMemory } from "@nelo/adapters/memory/ProviderRepositoryMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { CatalogueImportPostgres } from "@nelo/adapters/postgres/CatalogueImportPostgres"
import { MenuRepositoryPostgres } from "@nelo/adapters/postgres/MenuRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ProviderRepositoryPostgres } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { catalogueImportContract } from "./catalogueImportContract.ts"

// The memory import writes through the memory repositories it is given: the same store.
catalogueImportContract(
  "memory",
  CatalogueImportMemory.pipe(
    Layer.provideMerge(Layer.mergeAll(MenuRepositoryMemory, ProviderRepositoryMemory)),
    Layer.provideMerge(Layer.mergeAll(ZoneRepositoryMemory, UserRepositoryMemory))
  )
)
catalogueImportContract(
  "postgres",
  Layer.mergeAll(CatalogueImportPostgres, MenuRepositoryPostgres, ProviderRepositoryPostgres, UserRepositoryPostgres, ZoneRepositoryPostgres).pipe(
    Layer.provide(PostgresLayer)
  )
)
