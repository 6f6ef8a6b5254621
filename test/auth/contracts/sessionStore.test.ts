import { Layer } from "effect"
import { SessionStoreMemory } from "@nelo/adapters/memory/SessionStoreMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { SessionStorePostgres } from "@nelo/adapters/postgres/SessionStorePostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { sessionStoreContract } from "./sessionStoreContract.ts"

sessionStoreContract("memory", Layer.merge(SessionStoreMemory, UserRepositoryMemory))
sessionStoreContract("postgres", Layer.merge(SessionStorePostgres, UserRepositoryPostgres).pipe(Layer.provide(PostgresLayer)))
