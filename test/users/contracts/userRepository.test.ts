import { Layer } from "effect"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { userRepositoryContract } from "./userRepositoryContract.ts"

userRepositoryContract("memory", UserRepositoryMemory)
userRepositoryContract("postgres", UserRepositoryPostgres.pipe(Layer.provide(PostgresLayer)))
