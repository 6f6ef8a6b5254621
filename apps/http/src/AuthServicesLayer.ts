import { Layer } from "effect"
import { AuthCryptoNode } from "@nelo/adapters/auth/AuthCryptoNode"
import { AuthPolicyFromConfig } from "@nelo/adapters/auth/AuthPolicyFromConfig"
import { PasswordHasherArgon2 } from "@nelo/adapters/auth/PasswordHasherArgon2"
import { TokenIssuerJose } from "@nelo/adapters/auth/TokenIssuerJose"
import { IdGeneratorUuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { ImageProcessorSharp } from "@nelo/adapters/images/ImageProcessorSharp"
import { AddressRepositoryPostgres } from "@nelo/adapters/postgres/AddressRepositoryPostgres"
import { KycRepositoryPostgres } from "@nelo/adapters/postgres/KycRepositoryPostgres"
import { ObjectStorageFromConfig } from "@nelo/adapters/storage/ObjectStorageFromConfig"
import { SessionStorePostgres } from "@nelo/adapters/postgres/SessionStorePostgres"
import { UserRepositoryPostgres } from "@nelo/adapters/postgres/UserRepositoryPostgres"
import { OtpStoreRedis } from "@nelo/adapters/redis/OtpStoreRedis"
import { RateLimiterRedis } from "@nelo/adapters/redis/RateLimiterRedis"
import { TokenRevocationsRedis } from "@nelo/adapters/redis/TokenRevocationsRedis"

/** The real adapters of the auth and users ports; needs Postgres (SqlClient) and RedisClient (the SmsSender is chosen by the caller). */
export const AuthServicesLayer = Layer.mergeAll(
  AuthPolicyFromConfig,
  AuthCryptoNode,
  PasswordHasherArgon2,
  TokenIssuerJose,
  IdGeneratorUuidV7,
  SessionStorePostgres,
  AddressRepositoryPostgres,
  KycRepositoryPostgres,
  ImageProcessorSharp,
  ObjectStorageFromConfig,
  UserRepositoryPostgres,
  OtpStoreRedis,
  RateLimiterRedis,
  TokenRevocationsRedis
)
