import { Clock, Effect, Option } from "effect"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { makeNewReferralCode } from "../users/newReferralCode.ts"
import type { Language, ReferralCode, UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { AuthPolicy } from "./AuthPolicy.ts"
import { makeConsumeVerification } from "./consumeVerification.ts"
import { PasswordTooWeak, ReferralCodeUnknown } from "./errors.ts"
import { makeOpenSession } from "./openSession.ts"
import { PasswordHasher } from "./PasswordHasher.ts"

// Draws of a referral code before giving up (each collision is a one-in-10^12 event).
const referralCodeDraws = 5

export interface RegisterInput {
  readonly verificationToken: string
  readonly fullName: string
  readonly password?: string | undefined
  readonly referralCode?: ReferralCode | undefined
  readonly language?: Language | undefined
  readonly deviceLabel: string
}

/**
 * Creates a customer account for a phone proven by a `register` verification token, with an
 * optional password and the referrer's code, and signs them in on this device.
 */
export const makeRegister = Effect.gen(function*() {
  const policy = yield* AuthPolicy
  const users = yield* UserRepository
  const hasher = yield* PasswordHasher
  const ids = yield* IdGenerator
  const consumeVerification = yield* makeConsumeVerification
  const openSession = yield* makeOpenSession
  const newReferralCode = yield* makeNewReferralCode
  return Effect.fn("register")(function*(input: RegisterInput) {
    if (input.password !== undefined && input.password.length < policy.passwordMinLength) {
      return yield* new PasswordTooWeak({ minimumLength: policy.passwordMinLength })
    }
    let referredBy: UserId | null = null
    if (input.referralCode !== undefined) {
      const referrer = yield* users.findByReferralCode(input.referralCode)
      if (Option.isNone(referrer)) return yield* new ReferralCodeUnknown()
      referredBy = referrer.value
    }
    const claims = yield* consumeVerification(input.verificationToken, "register")
    const passwordHash = input.password === undefined ? null : yield* hasher.hash(input.password)
    const id = (yield* ids.uuid) as UserId
    const createdAt = new Date(yield* Clock.currentTimeMillis)
    // A new account cannot be its own referrer: the code was looked up before the account existed.
    const create = Effect.gen(function*() {
      return yield* users.create({
        id,
        phone: claims.phone,
        fullName: input.fullName,
        language: input.language ?? "fr",
        roles: ["client"],
        referralCode: yield* newReferralCode,
        referredBy,
        passwordHash,
        createdAt
      })
    })
    const user = yield* create.pipe(Effect.retry({ while: (error) => error._tag === "ReferralCodeTaken", times: referralCodeDraws - 1 }))
    return yield* openSession(user, input.deviceLabel)
  })
})
