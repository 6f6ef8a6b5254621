import { Effect } from "effect"
import type { UserId } from "../users/User.ts"
import { UserRepository } from "../users/UserRepository.ts"
import { AuthCrypto } from "./AuthCrypto.ts"
import { AuthPolicy } from "./AuthPolicy.ts"
import { CurrentPinRequired, PinIncorrect, PinNotSet, PinTooSimple, TooManyRequests } from "./errors.ts"
import { PasswordHasher } from "./PasswordHasher.ts"
import { RateLimiter } from "./RateLimiter.ts"
import { WrongPinObserver } from "./WrongPinObserver.ts"

/**
 * PINs a thief tries first: one digit repeated (0000), a run up or down (1234, 9876, with
 * wrap-around like 8901), and two digits alternating (1212). A 4-digit PIN has only 10 000 values;
 * these few hundred cover a large share of what people choose.
 */
export const isGuessablePin = (pin: string): boolean => {
  if (!/^\d{4}$/u.test(pin)) return true
  const digits = [...pin].map(Number)
  const steps = digits.slice(1).map((digit, index) => (digit - digits[index]! + 10) % 10)
  const constantStep = steps.every((step) => step === steps[0])
  if (constantStep && (steps[0] === 0 || steps[0] === 1 || steps[0] === 9)) return true
  return digits[0] === digits[2] && digits[1] === digits[3]
}

const keyedPrefix = "hmac-sha256:"

/**
 * How a PIN is stored: an HMAC keyed with the server's digest secret over the user and the PIN, not
 * a slow hash. A 4-digit PIN has 10,000 values: with the table alone, a slow hash (Argon2 at 16 ms)
 * falls to a brute force in under three minutes, so it protects nothing; without the secret, which
 * never sits in the database, the digest gives nothing away. The lockout is what stops online
 * guessing. And a slow hash on every transfer would cap the wallet at a few dozen transfers a second
 * per core. PINs stored earlier with Argon2 are still read, and re-stored keyed on their next success.
 */
const pinDigest = (crypto: AuthCrypto["Service"], userId: UserId, pin: string) => `${keyedPrefix}${crypto.digest(`pin:v1:${userId}:${pin}`)}`

/** Whether a keyed digest matches: cheap and free of side effects, so computed before the count. */
const keyedMatch = (crypto: AuthCrypto["Service"], userId: UserId, stored: string, pin: string) =>
  crypto.sameDigest(stored.slice(keyedPrefix.length), pinDigest(crypto, userId, pin).slice(keyedPrefix.length))

const lockBucket = (userId: UserId) => `pin:locked:${userId}`
const failuresBucket = (userId: UserId) => `pin:failures:${userId}`

/** More PIN checks of one person in flight at once than wrong PINs allowed: retry in a moment. */
const busyRetryMs = 1_000

/**
 * Checks a user's PIN, for the wallet and for changing the PIN. Wrong PINs in a row lock it
 * (pinMaxFailures, for pinLockMs); while locked even the right PIN is refused. The WrongPinObserver
 * is told of each PIN found wrong and counted, never of a refusal (locked, or too many at once).
 *
 * The comparison is computed first (a keyed digest: microseconds, no side effect) but its result
 * is only used once the rate limiter, in one atomic step, has counted the attempt and let it
 * through: however many guesses run at once, no more than pinMaxFailures get an answer before the
 * lock. Attempts past that number are refused uncompared-for-the-caller but lock nothing: they may
 * be the owner's right PIN sent many times at once.
 */
export const makeVerifyPin = Effect.gen(function*() {
  const policy = yield* AuthPolicy
  const limiter = yield* RateLimiter
  const crypto = yield* AuthCrypto
  const users = yield* UserRepository
  const hasher = yield* PasswordHasher
  const observer = yield* WrongPinObserver
  return Effect.fn("verifyPin")(function*(userId: UserId, pin: string) {
    const buckets = { count: failuresBucket(userId), cooldown: lockBucket(userId) }
    const rule = { windowMs: policy.pinLockMs, maximum: policy.pinMaxFailures, cooldownMs: policy.pinLockMs }
    const stored = yield* users.pinHashOf(userId)
    if (stored === null) return yield* new PinNotSet()

    let matches: boolean
    if (stored.startsWith(keyedPrefix)) {
      matches = keyedMatch(crypto, userId, stored, pin)
    } else {
      // A PIN stored before the keyed digests: its slow hash is not run while locked.
      const locked = yield* limiter.cooldownRemaining(lockBucket(userId))
      if (locked > 0) return yield* new TooManyRequests({ limit: "pin_locked", retryAfterMs: locked })
      matches = yield* hasher.verify(stored, pin)
    }

    const outcome = yield* limiter.attempt(buckets, rule, matches)
    switch (outcome._tag) {
      case "CoolingDown":
        return yield* new TooManyRequests({ limit: "pin_locked", retryAfterMs: outcome.remainingMs })
      case "OverMaximum":
        return yield* new TooManyRequests({ limit: "pin_busy", retryAfterMs: busyRetryMs })
      case "Succeeded":
        if (!stored.startsWith(keyedPrefix)) yield* users.setPinHash(userId, pinDigest(crypto, userId, pin))
        return
      case "CooldownStarted":
        yield* observer.wrongPin(userId)
        return yield* new TooManyRequests({ limit: "pin_locked", retryAfterMs: policy.pinLockMs })
      case "Failed":
        yield* observer.wrongPin(userId)
        return yield* new PinIncorrect({ attemptsLeft: policy.pinMaxFailures - outcome.count })
    }
  })
})

/** Sets the PIN; changing an existing one requires the current PIN (and its lockout applies). */
export const makeSetPin = Effect.gen(function*() {
  const users = yield* UserRepository
  const crypto = yield* AuthCrypto
  const verifyPin = yield* makeVerifyPin
  return Effect.fn("setPin")(function*(userId: UserId, input: { readonly pin: string; readonly currentPin?: string | undefined }) {
    if (isGuessablePin(input.pin)) return yield* new PinTooSimple()
    if ((yield* users.pinHashOf(userId)) !== null) {
      if (input.currentPin === undefined) return yield* new CurrentPinRequired()
      // Checked just above: a PIN is never removed, so "not set" here cannot happen.
      yield* verifyPin(userId, input.currentPin).pipe(Effect.catchTag("PinNotSet", (error) => Effect.die(error)))
    }
    yield* users.setPinHash(userId, pinDigest(crypto, userId, input.pin))
  })
})
