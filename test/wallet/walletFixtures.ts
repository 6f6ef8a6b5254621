import { Effect, Layer, Option, Result } from "effect"
import { TestClock } from "effect/testing"
import { IdGeneratorUuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { makeAuthCryptoMemory } from "@nelo/adapters/memory/AuthCryptoMemory"
import { KycRepositoryMemory } from "@nelo/adapters/memory/KycRepositoryMemory"
import { LedgerMemory } from "@nelo/adapters/memory/LedgerMemory"
import { CatalogueCacheMemory } from "@nelo/adapters/memory/CatalogueCacheMemory"
import { MenuRepositoryMemory } from "@nelo/adapters/memory/MenuRepositoryMemory"
import { OrderRepositoryMemory } from "@nelo/adapters/memory/OrderRepositoryMemory"
import { OrderFeedMemory } from "@nelo/adapters/memory/OrderFeedMemory"
import { PromotionRepositoryMemory } from "@nelo/adapters/memory/PromotionRepositoryMemory"
import { ProviderRepositoryMemory } from "@nelo/adapters/memory/ProviderRepositoryMemory"
import { ZoneRepositoryMemory } from "@nelo/adapters/memory/ZoneRepositoryMemory"
import { OrderPolicy } from "@nelo/domain/orders/OrderPolicy"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { OutboxStoreMemory } from "@nelo/adapters/memory/OutboxStoreMemory"
import { PasswordHasherMemory } from "@nelo/adapters/memory/PasswordHasherMemory"
import { PaymentGatewaysMemory } from "@nelo/adapters/memory/PaymentGatewaysMemory"
import { PaymentIntentRepositoryMemory } from "@nelo/adapters/memory/PaymentIntentRepositoryMemory"
import { RateLimiterMemory } from "@nelo/adapters/memory/RateLimiterMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { makeSetPin, makeVerifyPin } from "@nelo/domain/auth/pin"
import { IdGenerator } from "@nelo/domain/shared/IdGenerator"
import { parsePhone } from "@nelo/domain/shared/Phone"
import type { ReferralCode, UserId } from "@nelo/domain/users/User"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { KycRepository } from "@nelo/domain/users/KycRepository"
import type { Gateway } from "@nelo/domain/wallet/Account"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { AuthPolicy } from "@nelo/domain/auth/AuthPolicy"
import type { PaymentIntentRepository } from "@nelo/domain/payments/PaymentIntentRepository"
import type { TopupInput } from "@nelo/domain/payments/startTopup"
import { Payments } from "@nelo/domain/payments/Payments"
import { Wallet } from "@nelo/domain/wallet/Wallet"
import type { WalletPolicy } from "@nelo/domain/wallet/WalletPolicy"
import { WalletWrongPinObserver } from "@nelo/domain/wallet/wrongPinWatch"
import { xof } from "@nelo/domain/shared/Xof"

/** What payments borrow from the orders context: an order's confirmed payment moves the order on. */
const ordersPortsOfPayments = Layer.mergeAll(
  OrderRepositoryMemory,
  OrderFeedMemory,
  PromotionRepositoryMemory,
  MenuRepositoryMemory,
  CatalogueCacheMemory,
  OrderPolicy.defaults,
  ProviderRepositoryMemory
).pipe(Layer.provideMerge(ZoneRepositoryMemory))

/** The wallet's and payments' ports in memory, with the auth ports transfers need (PIN, limits). */
export const walletAdapters = Layer.mergeAll(
  LedgerMemory,
  PaymentIntentRepositoryMemory,
  PaymentGatewaysMemory,
  ordersPortsOfPayments
).pipe(
  Layer.provideMerge(Layer.mergeAll(
    OutboxStoreMemory,
    TransactionalMemory,
    makeAuthCryptoMemory(20_261_126),
    PasswordHasherMemory,
    RateLimiterMemory,
    UserRepositoryMemory,
    KycRepositoryMemory,
    IdGeneratorUuidV7,
    AuthPolicy.defaults
  ))
)

/**
 * The wallet and payments services and the wallet's WrongPinObserver, built on the memory adapters
 * and a wallet policy as in the apps; the adapters stay reachable for the tests' own checks.
 * `wrapIntents` stands in front of the intents' store (to make it fail, say) for the services too.
 */
export const walletContext = (
  policy: Layer.Layer<WalletPolicy>,
  wrapIntents?: Layer.Layer<PaymentIntentRepository, never, PaymentIntentRepository>
) => {
  const ports = Layer.merge(walletAdapters, policy)
  return Layer.mergeAll(Wallet.layer, Payments.layer).pipe(
    Layer.provideMerge(WalletWrongPinObserver),
    Layer.provideMerge(wrapIntents === undefined ? ports : wrapIntents.pipe(Layer.provideMerge(ports)))
  )
}

// The use cases as the tests call them: through the services, as the apps do (the PIN's through
// auth's own closures: the wallet's tests have no sessions or codes to build the Auth service on).
export const setPin = (...args: Parameters<Effect.Success<typeof makeSetPin>>) => Effect.flatMap(makeSetPin, (setPin) => setPin(...args))
export const verifyPin = (...args: Parameters<Effect.Success<typeof makeVerifyPin>>) => Effect.flatMap(makeVerifyPin, (verifyPin) => verifyPin(...args))

type WalletUseCases = Wallet["Service"]
type PaymentsUseCases = Payments["Service"]

export const walletOverview = (...args: Parameters<WalletUseCases["overview"]>) => Wallet.use((wallet) => wallet.overview(...args))
export const walletHistory = (...args: Parameters<WalletUseCases["history"]>) => Wallet.use((wallet) => wallet.history(...args))
export const transferMoney = (...args: Parameters<WalletUseCases["transfer"]>) => Wallet.use((wallet) => wallet.transfer(...args))
export const freezeWallet = (...args: Parameters<WalletUseCases["freeze"]>) => Wallet.use((wallet) => wallet.freeze(...args))
export const unfreezeWallet = (...args: Parameters<WalletUseCases["unfreeze"]>) => Wallet.use((wallet) => wallet.unfreeze(...args))
export const reverseTransaction = (...args: Parameters<WalletUseCases["reverse"]>) => Wallet.use((wallet) => wallet.reverse(...args))
export const auditLedger = () => Wallet.use((wallet) => wallet.audit)
export const startTopup = (user: { readonly id: UserId }, input: TopupInput) => Payments.use((payments) => payments.startTopup(user.id, input))
export const confirmTopup = (...args: Parameters<PaymentsUseCases["confirmTopup"]>) => Payments.use((payments) => payments.confirmTopup(...args))
export const receiveWebhook = (...args: Parameters<PaymentsUseCases["receiveWebhook"]>) => Payments.use((payments) => payments.receiveWebhook(...args))
export const processWebhook = (...args: Parameters<PaymentsUseCases["processWebhook"]>) => Payments.use((payments) => payments.processWebhook(...args))
export const recheckPendingTopups = (...args: Parameters<PaymentsUseCases["recheckPendingTopups"]>) =>
  Payments.use((payments) => payments.recheckPendingTopups(...args))

/** A Thursday morning in Tiassalé (Africa/Abidjan is UTC). */
export const thursdayMorningMs = Date.parse("2026-11-26T09:00:00Z")
export const atThursdayMorning = TestClock.setTime(thursdayMorningMs)

export const pin = "2580"
let nextSubscriber = 1

/** A registered person with a PIN set; their phone as people type it (10 digits). */
export const person = (fullName: string) =>
  Effect.gen(function*() {
    const typed = `07${String(nextSubscriber++).padStart(8, "0")}`
    const phone = Result.getOrThrow(parsePhone(typed))
    const ids = yield* IdGenerator
    const id = (yield* ids.uuid) as UserId
    yield* (yield* UserRepository).create({
      id,
      phone,
      fullName,
      language: "fr",
      roles: ["client"],
      referralCode: `W${String(nextSubscriber).padStart(7, "0")}` as ReferralCode,
      referredBy: null,
      passwordHash: null,
      createdAt: new Date(thursdayMorningMs)
    })
    yield* setPin(id, { pin })
    return { id, phone, typed }
  })

export const admin = { userId: "00000000-0000-7000-8000-00000000ad01" as UserId, roles: ["admin"] as const }

/** Credits a wallet as a confirmed top-up does (clearing → wallet). */
export const fund = (userId: UserId, amountXof: number, gateway: Gateway = "wave") =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const [clearing, wallet] = yield* Effect.all([ledger.clearingOf(gateway), ledger.walletOf(userId)])
    const id = yield* (yield* IdGenerator).uuid
    yield* ledger.post({
      transaction: {
        id,
        type: "topup",
        idempotencyKey: `test-fund:${id}`,
        postings: [{ accountId: clearing.id, amountXof: xof(-amountXof) }, { accountId: wallet.id, amountXof: xof(amountXof) }],
        cause: { kind: "system", id: "test" },
        reversesId: null,
        note: null,
        reference: null,
        createdAt: new Date(yield* Effect.clockWith((clock) => clock.currentTimeMillis))
      }
    })
  })

export const balanceOf = (userId: UserId) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const wallet = yield* ledger.findWallet(userId)
    return Option.isNone(wallet) ? 0 : (yield* ledger.stateOf(wallet.value.id)).balanceXof
  })

/** Approves a person's KYC as an admin's review does. */
export const approveKyc = (userId: UserId) =>
  Effect.gen(function*() {
    const kyc = yield* KycRepository
    const at = new Date(yield* Effect.clockWith((clock) => clock.currentTimeMillis))
    yield* kyc.addDocument({ id: yield* (yield* IdGenerator).uuid, userId, type: "national_id", storageKey: `kyc/${userId}/id.jpg`, contentType: "image/jpeg", sizeBytes: 1000, uploadedAt: at })
    yield* kyc.review(userId, { status: "approved" }, at)
  })
