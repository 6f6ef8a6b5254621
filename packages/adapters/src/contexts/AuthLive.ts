import { Layer } from "effect"
import { Auth } from "@nelo/domain/auth/Auth"
import { Users } from "@nelo/domain/users/Users"
import { AuthCryptoNode } from "../auth/AuthCryptoNode.ts"
import { AuthPolicyFromConfig } from "../auth/AuthPolicyFromConfig.ts"
import { PasswordHasherArgon2 } from "../auth/PasswordHasherArgon2.ts"
import { TokenIssuerJose } from "../auth/TokenIssuerJose.ts"
import { IdGeneratorUuidV7 } from "../ids/IdGeneratorUuidV7.ts"
import { ImageProcessorSharp } from "../images/ImageProcessorSharp.ts"
import { AddressRepositoryPostgres } from "../postgres/AddressRepositoryPostgres.ts"
import { DeviceRepositoryPostgres } from "../postgres/DeviceRepositoryPostgres.ts"
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

/** The users context's ports with their real adapters; needs Postgres (SqlClient). */
export const UsersPorts = Layer.mergeAll(
  UserRepositoryPostgres,
  DeviceRepositoryPostgres,
  KycRepositoryPostgres,
  AddressRepositoryPostgres,
  IdGeneratorUuidV7,
  AuthCryptoNode,
  ImageProcessorSharp,
  ObjectStorageFromConfig
)

/** The users context as the apps use it (profiles, addresses, KYC, roles, the admin CLI's account commands). */
export const UsersLive = Users.layer.pipe(Layer.provideMerge(UsersPorts))

/** The auth and users contexts' ports with their real adapters. */
export const AuthPorts = Layer.mergeAll(
  PinCheckPorts,
  UsersPorts,
  TokenIssuerJose,
  SessionStorePostgres,
  OtpStoreRedis,
  TokenRevocationsRedis
)

/**
 * The auth and users contexts as the apps use them: their services on the real adapters (the ports
 * stay reachable: the API turns storage keys into links). Needs Postgres (SqlClient), Redis
 * (RedisClient), an SmsSender chosen by the app, and the WrongPinObserver (the wallet's).
 */
export const AuthLive = Layer.mergeAll(Auth.layer, UsersLive).pipe(Layer.provideMerge(AuthPorts))
