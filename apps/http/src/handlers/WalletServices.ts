import type { AuthCrypto } from "@nelo/domain/auth/AuthCrypto"
import type { PasswordHasher } from "@nelo/domain/auth/PasswordHasher"
import type { RateLimiter } from "@nelo/domain/auth/RateLimiter"
import type { OutboxStore } from "@nelo/domain/events/OutboxStore"
import type { PaymentGateways } from "@nelo/domain/payments/PaymentGateway"
import type { PaymentIntentRepository } from "@nelo/domain/payments/PaymentIntentRepository"
import type { IdGenerator } from "@nelo/domain/shared/IdGenerator"
import type { KycRepository } from "@nelo/domain/users/KycRepository"
import type { UserRepository } from "@nelo/domain/users/UserRepository"
import type { Ledger } from "@nelo/domain/wallet/Ledger"

/** The ports the wallet and payments use cases need; the handlers capture them when the server starts. */
export type WalletServices =
  | AuthCrypto
  | IdGenerator
  | KycRepository
  | Ledger
  | OutboxStore
  | PasswordHasher
  | PaymentGateways
  | PaymentIntentRepository
  | RateLimiter
  | UserRepository
