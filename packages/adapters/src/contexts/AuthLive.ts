import { Layer } from "effect"
import { AuthCryptoNode } from "../auth/AuthCryptoNode.ts"
import { AuthPolicyFromConfig } from "../auth/AuthPolicyFromConfig.ts"
import { PasswordHasherArgon2 } from "../auth/PasswordHasherArgon2.ts"
import { TokenIssuerJose } from "../auth/TokenIssuerJose.ts"
import { IdGeneratorUuidV7 } from "../ids/IdGeneratorUuidV7.ts"
import { ImageProcessorSharp } from "../images/ImageProcessorSharp.ts"
import { AddressRepositoryPostgres } from "../postgres/AddressRepositoryPostgres.ts"
import { KycRepositoryPostgres } from "../postgres/KycRepositoryPostgres.ts"
import { SessionStorePostgres } from "../postgres/SessionStorePostgres.ts"
import { UserRepositoryPostgres } from "../postgres/UserRepositoryPostgres.ts"
import { OtpStoreRedis } from "../redis/OtpStoreRedis.ts"
import { RateLimiterRedis } from "../redis/RateLimiterRedis.ts"
import { TokenRevocationsRedis } from "../redis/TokenRevocationsRedis.ts"
import { ObjectStorageFromConfig } from "../storage/ObjectStorageFromConfig.ts"

/**
 * What the PIN check needs (a wallet transfer runs it): the policy, the keyed digests, users, KYC
 * levels, the attempts counter. The same layer values as in AuthLive, so an app that builds both
 * builds each adapter once.
 */
export const PinCheckPorts = Layer.mergeAll(
  AuthPolicyFromConfig,
  AuthCryptoNode,
  PasswordHasherArgon2,
  UserRepositoryPostgres,
  KycRepositoryPostgres,
  RateLimiterRedis,
  IdGeneratorUuidV7
)

/**
 * The auth and users contexts' ports with their real adapters; needs Postgres (SqlClient), Redis
 * (RedisClient) and an SmsSender chosen by the app.
 */
export const AuthLive = Layer.mergeAll(
  PinCheckPorts,
  TokenIssuerJose,
  SessionStorePostgres,
  AddressRepositoryPostgres,
  ImageProcessorSharp,
  ObjectStorageFromConfig,
  OtpStoreRedis,
  TokenRevocationsRedis
)
