import { Layer } from "effect"
import { KycRepositoryMemory } from "@nelo/adapters/memory/KycRepositoryMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { KycRepositoryPostgres } from "@nelo/adapters/postgres/KycRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { kycRepositoryContract } from "./kycRepositoryContract.ts"

kycRepositoryContract("memory", Layer.mergeAll(KycRepositoryMemory, UserRepositoryMemory))
kycRepositoryContract("postgres", Layer.mergeAll(KycRepositoryPostgres, UserRepositoryPostgres).pipe(Layer.provide(PostgresLayer)))
