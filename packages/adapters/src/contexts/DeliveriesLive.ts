import { Layer } from "effect"
import { Drivers } from "@nelo/domain/deliveries/Drivers"
import { DriverPolicyFromConfig } from "../deliveries/DriverPolicyFromConfig.ts"
import { DriverRepositoryPostgres } from "../postgres/DriverRepositoryPostgres.ts"
import { KycRepositoryPostgres } from "../postgres/KycRepositoryPostgres.ts"
import { TransactionalPostgres } from "../postgres/TransactionalPostgres.ts"
import { UserRepositoryPostgres } from "../postgres/UserRepositoryPostgres.ts"
import { ZoneRepositoryPostgres } from "../postgres/ZoneRepositoryPostgres.ts"
import { LivePositionsRedis } from "../redis/LivePositionsRedis.ts"
import { IdGeneratorUuidV7 } from "../ids/IdGeneratorUuidV7.ts"
import { OutboxStorePostgres } from "../postgres/OutboxStorePostgres.ts"

/** The deliveries' own stores and policy with their real adapters. */
export const DeliveriesPorts = Layer.mergeAll(DriverRepositoryPostgres, LivePositionsRedis, DriverPolicyFromConfig)

/**
 * The deliveries context as the apps use it, on the real adapters: its stores, and what it reads or
 * writes elsewhere (zones, users and their roles, the KYC reviews, the outbox for the drivers' SMS). Needs Postgres (SqlClient) and
 * Redis (RedisClient).
 */
export const DeliveriesLive = Drivers.layer.pipe(
  Layer.provide(Layer.mergeAll(DeliveriesPorts, ZoneRepositoryPostgres, UserRepositoryPostgres, KycRepositoryPostgres, TransactionalPostgres, OutboxStorePostgres, IdGeneratorUuidV7))
)
