import { Layer } from "effect"
import { MenuRepositoryPostgres } from "@nelo/adapters/postgres/MenuRepositoryPostgres"
import { ProviderRepositoryPostgres } from "@nelo/adapters/postgres/ProviderRepositoryPostgres"
import { CatalogueCacheRedis } from "@nelo/adapters/redis/CatalogueCacheRedis"

/** The real adapters of the catalogue's own ports; needs Postgres (SqlClient) and RedisClient. */
export const CatalogueServicesLayer = Layer.mergeAll(ProviderRepositoryPostgres, MenuRepositoryPostgres, CatalogueCacheRedis)
