import { Effect, Option, Result } from "effect"
import { parsePhone } from "../shared/Phone.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { AuthPolicy } from "./AuthPolicy.ts"
import { makeConsumeVerification } from "./consumeVerification.ts"
import { AccountNotFound, InvalidCredentials, TooManyRequests } from "./errors.ts"
import { makeOpenSession } from "./openSession.ts"
import { PasswordHasher } from "./PasswordHasher.ts"
import { RateLimiter } from "./RateLimiter.ts"

/** Signing in, with a password or with a verification token. */
export const makeLogin = Effect.gen(function*() {
  const policy = yield* AuthPolicy
  const limiter = yield* RateLimiter
  const users = yield* UserRepository
  const hasher = yield* PasswordHasher
  const consumeVerification = yield* makeConsumeVerification
  const openSession = yield* makeOpenSession

  /**
   * Signs in with phone and password. After passwordMaxFailures tries without a success on one
   * phone, password logins to it pause for passwordFailureWindowMs (the SMS code still works).
   */
  const withPassword = Effect.fn("loginWithPassword")(function*(input: { readonly phone: string; readonly password: string; readonly deviceLabel: string; readonly clientIp: string }) {
    const phone = yield* Result.match(parsePhone(input.phone), {
      onFailure: () => Effect.fail(new InvalidCredentials()),
      onSuccess: Effect.succeed
    })
    const lockBucket = `login:locked:${phone}`
    const failuresBucket = `login:failures:${phone}`
    // Each try costs a slow hash: one client may not spray guesses over many phones either.
    const perIp = yield* limiter.hit(`login:ip:${input.clientIp}`, policy.passwordFailureWindowMs)
    if (perIp.count > policy.passwordMaxPerIpPerWindow) return yield* new TooManyRequests({ limit: "password_per_ip", retryAfterMs: perIp.resetInMs })
    const locked = yield* limiter.cooldownRemaining(lockBucket)
    if (locked > 0) return yield* new TooManyRequests({ limit: "password_failures", retryAfterMs: locked })

    // Every try counts before the slow hash is checked, so a burst of guesses sent at once is
    // counted as it arrives: past the limit the hash is not even computed. A success clears the count.
    const attempt = yield* limiter.hit(failuresBucket, policy.passwordFailureWindowMs)
    if (attempt.count > policy.passwordMaxFailures) {
      yield* limiter.claimCooldown(lockBucket, policy.passwordFailureWindowMs)
      return yield* new TooManyRequests({ limit: "password_failures", retryAfterMs: policy.passwordFailureWindowMs })
    }
    const credentials = yield* users.passwordHashOf(phone)
    const stored = Option.match(credentials, { onNone: () => null, onSome: (found) => found.passwordHash })
    const matches = yield* hasher.verify(stored, input.password)
    // verify(null, …) answers false: an unknown phone or an account without password fails here.
    if (!matches || Option.isNone(credentials)) {
      if (attempt.count === policy.passwordMaxFailures) yield* limiter.claimCooldown(lockBucket, policy.passwordFailureWindowMs)
      return yield* new InvalidCredentials()
    }
    yield* limiter.reset(failuresBucket)
    const user = yield* users.findById(credentials.value.userId)
    if (Option.isNone(user)) return yield* new InvalidCredentials()
    return yield* openSession(user.value, input.deviceLabel)
  })

  /** Signs in with a `login` verification token (the phone received and returned a code). */
  const withVerification = Effect.fn("loginWithVerification")(function*(input: { readonly verificationToken: string; readonly deviceLabel: string }) {
    const claims = yield* consumeVerification(input.verificationToken, "login")
    const user = yield* users.findByPhone(claims.phone)
    if (Option.isNone(user)) return yield* new AccountNotFound()
    return yield* openSession(user.value, input.deviceLabel)
  })

  return { withPassword, withVerification }
})
