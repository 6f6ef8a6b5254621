import { Effect, Option, Result } from "effect"
import { parsePhone } from "../shared/Phone.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { AuthPolicy } from "./AuthPolicy.ts"
import { consumeVerification } from "./consumeVerification.ts"
import { AccountNotFound, InvalidCredentials, TooManyRequests } from "./errors.ts"
import { openSession } from "./openSession.ts"
import { PasswordHasher } from "./PasswordHasher.ts"
import { RateLimiter } from "./RateLimiter.ts"

/** Signs in with phone and password. Repeated failures on one phone pause password logins for it. */
export const loginWithPassword = Effect.fn("loginWithPassword")(function*(input: { readonly phone: string; readonly password: string; readonly deviceLabel: string }) {
  const phone = yield* Result.match(parsePhone(input.phone), {
    onFailure: () => Effect.fail(new InvalidCredentials()),
    onSuccess: Effect.succeed
  })
  const policy = yield* AuthPolicy
  const limiter = yield* RateLimiter
  const lockBucket = `login:locked:${phone}`
  const failuresBucket = `login:failures:${phone}`
  const locked = yield* limiter.cooldownRemaining(lockBucket)
  if (locked > 0) return yield* new TooManyRequests({ limit: "password_failures", retryAfterMs: locked })

  const users = yield* UserRepository
  const hasher = yield* PasswordHasher
  const credentials = yield* users.passwordHashOf(phone)
  const stored = Option.match(credentials, { onNone: () => null, onSome: (found) => found.passwordHash })
  const matches = yield* hasher.verify(stored, input.password)
  if (!matches || stored === null || Option.isNone(credentials)) {
    const failures = yield* limiter.hit(failuresBucket, policy.passwordFailureWindowMs)
    if (failures.count >= policy.passwordMaxFailures) {
      yield* limiter.claimCooldown(lockBucket, policy.passwordFailureWindowMs)
      yield* limiter.reset(failuresBucket)
    }
    return yield* new InvalidCredentials()
  }
  yield* limiter.reset(failuresBucket)
  const user = yield* users.findById(credentials.value.userId)
  if (Option.isNone(user)) return yield* new InvalidCredentials()
  return yield* openSession(user.value, input.deviceLabel)
})

/** Signs in with a `login` verification token (the phone received and returned a code). */
export const loginWithVerification = Effect.fn("loginWithVerification")(function*(input: { readonly verificationToken: string; readonly deviceLabel: string }) {
  const claims = yield* consumeVerification(input.verificationToken, "login")
  const user = yield* (yield* UserRepository).findByPhone(claims.phone)
  if (Option.isNone(user)) return yield* new AccountNotFound()
  return yield* openSession(user.value, input.deviceLabel)
})

