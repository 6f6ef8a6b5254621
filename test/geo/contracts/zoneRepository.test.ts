import { Layer } from "effect"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { ZoneRepositoryPostgres } from "@nelo/adapters/postgres/ZoneRepositoryPostgres"
import { zoneRepositoryContract } from "./zoneRepositoryContract.ts"

zoneRepositoryContract("memory", ZoneRepositoryMemory)
zoneRepositoryContract("postgres", ZoneRepositoryPostgres.pipe(Layer.provide(PostgresLayer)))
