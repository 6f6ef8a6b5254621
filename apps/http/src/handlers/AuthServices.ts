import type { AuthCrypto } from "@nelo/domain/auth/AuthCrypto"
import type { OtpStore } from "@nelo/domain/auth/OtpStore"
import type { PasswordHasher } from "@nelo/domain/auth/PasswordHasher"
import type { RateLimiter } from "@nelo/domain/auth/RateLimiter"
import type { SessionStore } from "@nelo/domain/auth/SessionStore"
import type { TokenIssuer } from "@nelo/domain/auth/TokenIssuer"
import type { TokenRevocations } from "@nelo/domain/auth/TokenRevocations"
import type { SmsSender } from "@nelo/domain/notifications/SmsSender"
import type { IdGenerator } from "@nelo/domain/shared/IdGenerator"
import type { ObjectStorage } from "@nelo/domain/storage/ObjectStorage"
import type { ImageProcessor } from "@nelo/domain/users/ImageProcessor"
import type { KycRepository } from "@nelo/domain/users/KycRepository"
import type { AddressRepository } from "@nelo/domain/users/AddressRepository"
import type { UserRepository } from "@nelo/domain/users/UserRepository"

/** The ports the auth and users use cases need; the handlers capture them when the server starts. */
export type AuthServices =
  | AddressRepository
  | AuthCrypto
  | IdGenerator
  | ImageProcessor
  | KycRepository
  | ObjectStorage
  | OtpStore
  | PasswordHasher
  | RateLimiter
  | SessionStore
  | SmsSender
  | TokenIssuer
  | TokenRevocations
  | UserRepository
