import { Layer } from "effect"
import { Catalogue } from "@nelo/domain/catalogue/Catalogue"
import { IdGeneratorUuidV7 } from "../ids/IdGeneratorUuidV7.ts"
import { ImageProcessorSharp } from "../images/ImageProcessorSharp.ts"
import { MenuRepositoryPostgres } from "../postgres/MenuRepositoryPostgres.ts"
import { ProviderRepositoryPostgres } from "../postgres/ProviderRepositoryPostgres.ts"
import { UserRepositoryPostgres } from "../postgres/UserRepositoryPostgres.ts"
import { CatalogueCacheRedis } from "../redis/CatalogueCacheRedis.ts"
import { ObjectStorageFromConfig } from "../storage/ObjectStorageFromConfig.ts"

/** The catalogue's own stores with their real adapters: providers and menus in Postgres, copies in Redis. */
export const CataloguePorts = Layer.mergeAll(ProviderRepositoryPostgres, MenuRepositoryPostgres, CatalogueCacheRedis)

/**
 * The catalogue context as the apps use it, on the real adapters: its stores, and what its use cases
 * borrow from elsewhere (users, for the owner an admin names; ids; the image processor and the
 * storage of product photos). The same layer values as in AuthLive, so an app that builds both
 * builds each adapter once. Needs Postgres (SqlClient) and Redis (RedisClient).
 */
export const CatalogueLive = Catalogue.layer.pipe(
  Layer.provide(Layer.mergeAll(CataloguePorts, UserRepositoryPostgres, IdGeneratorUuidV7, ImageProcessorSharp, ObjectStorageFromConfig))
)
