import { Layer } from "effect"
import { AddressRepositoryMemory } from "@nelo/adapters/memory/AddressRepositoryMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { AddressRepositoryPostgres } from "@nelo/adapters/postgres/AddressRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { addressRepositoryContract } from "./addressRepositoryContract.ts"

addressRepositoryContract("memory", AddressRepositoryMemory.pipe(Layer.provideMerge(Layer.mergeAll(ZoneRepositoryMemory, UserRepositoryMemory))))
addressRepositoryContract(
  "postgres",
  Layer.mergeAll(AddressRepositoryPostgres, UserRepositoryPostgres, ZoneRepositoryPostgres).pipe(Layer.provide(PostgresLayer))
)
