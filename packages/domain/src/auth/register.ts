import { Clock, Effect, Option } from "effect"
import { makeCreateUser } from "../users/createUser.ts"
import type { Language, ReferralCode, UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { AuthPolicy } from "./AuthPolicy.ts"
import { makeConsumeVerification } from "./consumeVerification.ts"
import { PasswordTooWeak, ReferralCodeUnknown } from "./errors.ts"
import { makeOpenSession } from "./openSession.ts"
import { PasswordHasher } from "./PasswordHasher.ts"

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
  const consumeVerification = yield* makeConsumeVerification
  const openSession = yield* makeOpenSession
  const createUser = yield* makeCreateUser
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
    // A new account cannot be its own referrer: the code was looked up before the account existed.
    const user = yield* createUser({
      phone: claims.phone,
      fullName: input.fullName,
      language: input.language ?? "fr",
      roles: ["client"],
      referredBy,
      passwordHash,
      createdAt: new Date(yield* Clock.currentTimeMillis)
    })
    return yield* openSession(user, input.deviceLabel)
  })
})
