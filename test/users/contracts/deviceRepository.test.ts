import { Layer } from "effect"
import { DeviceRepositoryMemory } from "@nelo/adapters/memory/DeviceRepositoryMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { DeviceRepositoryPostgres } from "@nelo/adapters/postgres/DeviceRepositoryPostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { deviceRepositoryContract } from "./deviceRepositoryContract.ts"

deviceRepositoryContract("memory", Layer.mergeAll(DeviceRepositoryMemory, UserRepositoryMemory))
deviceRepositoryContract("postgres", Layer.mergeAll(DeviceRepositoryPostgres, UserRepositoryPostgres).pipe(Layer.provide(PostgresLayer)))
