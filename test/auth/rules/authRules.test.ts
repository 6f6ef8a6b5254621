import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Result } from "effect"
import { TestClock } from "effect/testing"
import { IdGeneratorUuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import { makeAuthCryptoMemory } from "@nelo/adapters/memory/AuthCryptoMemory"
import { OtpStoreMemory } from "@nelo/adapters/memory/OtpStoreMemory"
import { PasswordHasherMemory } from "@nelo/adapters/memory/PasswordHasherMemory"
import { RateLimiterMemory } from "@nelo/adapters/memory/RateLimiterMemory"
import { SessionStoreMemory } from "@nelo/adapters/memory/SessionStoreMemory"
import { SmsOutbox, SmsSenderMemory } from "@nelo/adapters/memory/SmsSenderMemory"
import { TokenIssuerMemory } from "@nelo/adapters/memory/TokenIssuerMemory"
import { TokenRevocationsMemory } from "@nelo/adapters/memory/TokenRevocationsMemory"
import { UserRepositoryMemory } from "@nelo/adapters/memory/UserRepositoryMemory"
import { Auth } from "@nelo/domain/auth/Auth"
import { AuthPolicy } from "@nelo/domain/auth/AuthPolicy"
import { WrongPinObserver } from "@nelo/domain/auth/WrongPinObserver"
import { otpMessage } from "@nelo/domain/auth/otpMessage"
import type { OtpPurpose } from "@nelo/domain/auth/OtpPurpose"
import { PasswordHasher } from "@nelo/domain/auth/PasswordHasher"
import { TokenIssuer } from "@nelo/domain/auth/TokenIssuer"
import { parsePhone } from "@nelo/domain/shared/Phone"
import type { ReferralCode } from "@nelo/domain/users/User"

// The auth rules with every port in memory and time on the TestClock: each test gets fresh
// adapters and a clock at zero, moves time itself, and reads codes from the SMS outbox as the
// person would read their phone. The AuthPolicy is the domain's defaults; no wallet observes wrong PINs.

const hourMs = 3600_000
const clientIp = "198.51.100.7"
const deviceLabel = "Tecno Spark 10"
const password = "manioc-attiéké"

const ports = Layer.mergeAll(
  makeAuthCryptoMemory(20_260_115),
  TokenIssuerMemory,
  PasswordHasherMemory,
  OtpStoreMemory,
  RateLimiterMemory,
  TokenRevocationsMemory,
  UserRepositoryMemory,
  SessionStoreMemory,
  SmsSenderMemory,
  IdGeneratorUuidV7,
  AuthPolicy.defaults,
  WrongPinObserver.ignoring
)

// The Auth service on those ports, as the apps build it; the ports stay reachable for the checks.
const adapters = Auth.layer.pipe(Layer.provideMerge(ports))

// The use cases as the tests call them: through the service, as the apps do.
type AuthUseCases = Auth["Service"]
const sendOtp = (...args: Parameters<AuthUseCases["sendOtp"]>) => Auth.use((auth) => auth.sendOtp(...args))
const verifyOtp = (...args: Parameters<AuthUseCases["verifyOtp"]>) => Auth.use((auth) => auth.verifyOtp(...args))
const register = (...args: Parameters<AuthUseCases["register"]>) => Auth.use((auth) => auth.register(...args))
const loginWithPassword = (...args: Parameters<AuthUseCases["loginWithPassword"]>) => Auth.use((auth) => auth.loginWithPassword(...args))
const loginWithVerification = (...args: Parameters<AuthUseCases["loginWithVerification"]>) => Auth.use((auth) => auth.loginWithVerification(...args))
const refreshSession = (...args: Parameters<AuthUseCases["refreshSession"]>) => Auth.use((auth) => auth.refreshSession(...args))
const logout = (...args: Parameters<AuthUseCases["logout"]>) => Auth.use((auth) => auth.logout(...args))
const authenticate = (...args: Parameters<AuthUseCases["authenticate"]>) => Auth.use((auth) => auth.authenticate(...args))

type Adapters = Layer.Success<typeof adapters>

const rule = (name: string, body: () => Effect.Effect<void, unknown, Adapters>) =>
  it.effect(name, () => body().pipe(Effect.provide(adapters)))

/** A mobile number as people type it: 10 national digits, Orange (07) unless told otherwise. */
const mobile = (subscriber: number, prefix = "07") => `${prefix}${String(subscriber).padStart(8, "0")}`
const e164 = (phone: string) => Result.getOrThrow(parsePhone(phone))

/** The failure as plain data (tag and fields), to compare in one assertion; fails if it succeeded. */
const refusal = <A, E extends object, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error): Record<string, unknown> => Object.fromEntries(Object.entries(error)))

const sentCount = Effect.gen(function*() {
  return (yield* SmsOutbox).sent().length
})

const lastCode = Effect.fnUntraced(function*(phone: string) {
  const message = (yield* SmsOutbox).sent().filter((sms) => sms.to === e164(phone)).at(-1)
  assert.isDefined(message, `an SMS to ${phone}`)
  return /\b(\d{6})\b/u.exec(message!.body)![1]!
})

/** Another code of the same length: the first digit moved on by one. */
const wrongCode = (code: string) => `${(Number(code[0]) + 1) % 10}${code.slice(1)}`

const send = (phone: string, purpose: OtpPurpose = "register", ip = clientIp) => sendOtp({ phone, purpose, clientIp: ip })

const sendCode = Effect.fnUntraced(function*(phone: string, purpose: OtpPurpose = "register", ip = clientIp) {
  yield* send(phone, purpose, ip)
  return yield* lastCode(phone)
})

const verified = Effect.fnUntraced(function*(phone: string, purpose: OtpPurpose) {
  const code = yield* sendCode(phone, purpose)
  return (yield* verifyOtp({ phone, code, purpose })).verificationToken
})

const registered = Effect.fnUntraced(function*(phone: string, options: { readonly password?: string } = {}) {
  const verificationToken = yield* verified(phone, "register")
  return yield* register({ verificationToken, fullName: "Aya Kouassi", deviceLabel, ...options })
})

describe("sendOtp and verifyOtp", () => {
  rule("the code sent by SMS becomes a verification token for that phone and purpose, once", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      assert.deepStrictEqual(yield* send("+225 07 01 02 03 04"), { phone: e164("0701020304") })
      const code = yield* lastCode("0701020304")
      assert.deepStrictEqual((yield* SmsOutbox).sent(), [{ to: e164("0701020304"), body: otpMessage(code, policy.otpTtlMs) }])

      const { verificationToken } = yield* verifyOtp({ phone: "07 01 02 03 04", code, purpose: "register" })
      const claims = yield* (yield* TokenIssuer).verifyVerification(verificationToken)
      assert.deepStrictEqual([claims.phone, claims.purpose], [e164("0701020304"), "register"])
      assert.deepStrictEqual(yield* refusal(verifyOtp({ phone: "0701020304", code, purpose: "register" })), { _tag: "OtpExpired" })
    }))

  rule("a code only verifies the purpose it was sent for, and trying the other purpose costs it no attempt", () =>
    Effect.gen(function*() {
      const code = yield* sendCode(mobile(1), "register")
      assert.deepStrictEqual(yield* refusal(verifyOtp({ phone: mobile(1), code, purpose: "login" })), { _tag: "OtpExpired" })
      yield* verifyOtp({ phone: mobile(1), code: wrongCode(code), purpose: "register" }).pipe(Effect.ignore)
      yield* verifyOtp({ phone: mobile(1), code: wrongCode(code), purpose: "register" }).pipe(Effect.ignore)
      yield* verifyOtp({ phone: mobile(1), code, purpose: "register" })
    }))

  rule("a code lives otpTtlMs: it works a millisecond before, and is expired at the deadline", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      const early = yield* sendCode(mobile(1))
      const late = yield* sendCode(mobile(2))
      yield* TestClock.adjust(policy.otpTtlMs - 1)
      yield* verifyOtp({ phone: mobile(1), code: early, purpose: "register" })
      yield* TestClock.adjust(1)
      assert.deepStrictEqual(yield* refusal(verifyOtp({ phone: mobile(2), code: late, purpose: "register" })), { _tag: "OtpExpired" })
    }))

  rule("two wrong tries leave one: the right code on the third try still works", () =>
    Effect.gen(function*() {
      const code = yield* sendCode(mobile(1))
      const attempt = (tried: string) => verifyOtp({ phone: mobile(1), code: tried, purpose: "register" })
      assert.deepStrictEqual(yield* refusal(attempt(wrongCode(code))), { _tag: "OtpIncorrect", attemptsLeft: 2 })
      assert.deepStrictEqual(yield* refusal(attempt(wrongCode(code))), { _tag: "OtpIncorrect", attemptsLeft: 1 })
      yield* attempt(code)
    }))

  rule("three wrong tries burn the code: the fourth fails even with the right code", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      const code = yield* sendCode(mobile(1))
      const attempt = (tried: string) => verifyOtp({ phone: mobile(1), code: tried, purpose: "register" })
      for (let tries = 1; tries < policy.otpMaxAttempts; tries++) yield* attempt(wrongCode(code)).pipe(Effect.ignore)
      assert.deepStrictEqual(yield* refusal(attempt(wrongCode(code))), { _tag: "OtpAttemptsExhausted" })
      assert.deepStrictEqual(yield* refusal(attempt(code)), { _tag: "OtpExpired" })
    }))

  rule("a new code waits otpResendCooldownMs, for either purpose, and then replaces the old one", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      const first = yield* sendCode(mobile(1))
      assert.deepStrictEqual(yield* refusal(send(mobile(1))), { _tag: "TooManyRequests", limit: "otp_cooldown", retryAfterMs: policy.otpResendCooldownMs })
      yield* TestClock.adjust(policy.otpResendCooldownMs - 15_000)
      assert.deepStrictEqual(yield* refusal(send(mobile(1), "login")), { _tag: "TooManyRequests", limit: "otp_cooldown", retryAfterMs: 15_000 })
      // Another phone from the same connection is not held back by this phone's cooldown.
      yield* send(mobile(2))
      yield* TestClock.adjust(15_000)
      const second = yield* sendCode(mobile(1))
      assert.notStrictEqual(first, second)
      assert.deepStrictEqual(yield* refusal(verifyOtp({ phone: mobile(1), code: first, purpose: "register" })), { _tag: "OtpIncorrect", attemptsLeft: 2 })
      yield* verifyOtp({ phone: mobile(1), code: second, purpose: "register" })
    }))

  rule("a phone gets otpMaxPerPhonePerHour codes an hour; a refusal says when the hour ends and spoils nothing", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      for (let sent = 0; sent < policy.otpMaxPerPhonePerHour; sent++) {
        if (sent > 0) yield* TestClock.adjust(policy.otpResendCooldownMs)
        yield* send(mobile(1))
      }
      yield* TestClock.adjust(policy.otpResendCooldownMs)
      const elapsedMs = policy.otpMaxPerPhonePerHour * policy.otpResendCooldownMs
      const refused = { _tag: "TooManyRequests", limit: "otp_per_phone", retryAfterMs: hourMs - elapsedMs }
      assert.deepStrictEqual(yield* refusal(send(mobile(1))), refused)
      // The refusal took its cooldown back: asking again at once meets the hourly limit, not a cooldown.
      assert.deepStrictEqual(yield* refusal(send(mobile(1))), refused)
      assert.strictEqual(yield* sentCount, policy.otpMaxPerPhonePerHour)
      // The last code sent still works.
      yield* verifyOtp({ phone: mobile(1), code: yield* lastCode(mobile(1)), purpose: "register" })

      yield* TestClock.adjust(hourMs - elapsedMs)
      yield* send(mobile(1))
    }))

  rule("a connection gets otpMaxPerIpPerHour codes an hour, whatever the phones; other connections are not held back", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      for (let phone = 1; phone <= policy.otpMaxPerIpPerHour; phone++) yield* send(mobile(phone))
      yield* TestClock.adjust(10 * 60_000)
      const next = mobile(policy.otpMaxPerIpPerHour + 1)
      assert.deepStrictEqual(yield* refusal(send(next)), { _tag: "TooManyRequests", limit: "otp_per_ip", retryAfterMs: hourMs - 10 * 60_000 })
      yield* send(next, "register", "203.0.113.9")
      yield* TestClock.adjust(hourMs - 10 * 60_000)
      yield* send(mobile(policy.otpMaxPerIpPerHour + 2))
    }))

  rule("when the SMS provider fails nothing is consumed: the previous code still works and a retry needs no wait", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      const outbox = yield* SmsOutbox
      const first = yield* sendCode(mobile(1))
      yield* TestClock.adjust(policy.otpResendCooldownMs)
      outbox.failNext(1)
      assert.deepStrictEqual(yield* refusal(send(mobile(1))), { _tag: "SmsUnavailable" })
      assert.strictEqual(yield* sentCount, 1)
      yield* verifyOtp({ phone: mobile(1), code: first, purpose: "register" })
      const retried = yield* sendCode(mobile(1))
      yield* verifyOtp({ phone: mobile(1), code: retried, purpose: "register" })
    }))

  rule("failed sends count against no limit: after many, a code still goes out at once", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      const failures = policy.otpMaxPerIpPerHour + policy.otpMaxPerPhonePerHour + 1
      ;(yield* SmsOutbox).failNext(failures)
      for (let tries = 0; tries < failures; tries++) assert.deepStrictEqual(yield* refusal(send(mobile(1))), { _tag: "SmsUnavailable" })
      yield* send(mobile(1))
      assert.strictEqual(yield* sentCount, 1)
    }))

  rule("a malformed number or a fixed line gets no code", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* refusal(send("07 01 02")), { _tag: "PhoneInvalid", reason: "malformed" })
      assert.deepStrictEqual(yield* refusal(send("0901020304")), { _tag: "PhoneInvalid", reason: "unknown_prefix" })
      assert.deepStrictEqual(yield* refusal(send("2701020304")), { _tag: "PhoneCannotReceiveSms" })
      assert.strictEqual(yield* sentCount, 0)
    }))
})

describe("verification tokens", () => {
  rule("a verification token is used once", () =>
    Effect.gen(function*() {
      const verificationToken = yield* verified(mobile(1), "register")
      yield* register({ verificationToken, fullName: "Aya Kouassi", deviceLabel })
      assert.deepStrictEqual(yield* refusal(register({ verificationToken, fullName: "Aya Kouassi", deviceLabel })), { _tag: "VerificationTokenInvalid" })
    }))

  rule("a token serves its purpose only: a login token cannot register, a register token cannot sign in, and neither is used up by the refusal", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      const account = yield* registered(mobile(1))
      yield* TestClock.adjust(policy.otpResendCooldownMs)
      const loginToken = yield* verified(mobile(1), "login")
      assert.deepStrictEqual(yield* refusal(register({ verificationToken: loginToken, fullName: "Intrus", deviceLabel })), { _tag: "VerificationTokenInvalid" })
      const signedIn = yield* loginWithVerification({ verificationToken: loginToken, deviceLabel })
      assert.strictEqual(signedIn.user.id, account.user.id)
      assert.deepStrictEqual(yield* refusal(loginWithVerification({ verificationToken: loginToken, deviceLabel })), { _tag: "VerificationTokenInvalid" })

      const registerToken = yield* verified(mobile(2), "register")
      assert.deepStrictEqual(yield* refusal(loginWithVerification({ verificationToken: registerToken, deviceLabel })), { _tag: "VerificationTokenInvalid" })
      yield* register({ verificationToken: registerToken, fullName: "Koffi Yao", deviceLabel })
    }))

  rule("a verification token expires after verificationTokenTtlMs", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      const verificationToken = yield* verified(mobile(1), "register")
      yield* TestClock.adjust(policy.verificationTokenTtlMs)
      assert.deepStrictEqual(yield* refusal(register({ verificationToken, fullName: "Aya Kouassi", deviceLabel })), { _tag: "VerificationTokenInvalid" })
    }))

  rule("an unknown referral code or a short password is refused before the token is used up", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      const referrer = yield* registered(mobile(1))
      const verificationToken = yield* verified(mobile(2), "register")
      const unknownCode = "ZZZZZZZZ" as ReferralCode
      assert.notStrictEqual(referrer.user.referralCode, unknownCode)
      const joining = { verificationToken, fullName: "Koffi Yao", deviceLabel }
      assert.deepStrictEqual(yield* refusal(register({ ...joining, referralCode: unknownCode })), { _tag: "ReferralCodeUnknown" })
      assert.deepStrictEqual(yield* refusal(register({ ...joining, password: "x".repeat(policy.passwordMinLength - 1) })), {
        _tag: "PasswordTooWeak",
        minimumLength: policy.passwordMinLength
      })
      const joined = yield* register({ ...joining, referralCode: referrer.user.referralCode })
      assert.strictEqual(joined.user.referredBy, referrer.user.id)
    }))
})

describe("password login", () => {
  rule("the right password signs in; a wrong one, an unknown phone and an account without password look the same", () =>
    Effect.gen(function*() {
      const account = yield* registered(mobile(1), { password })
      yield* registered(mobile(2))
      const signedIn = yield* loginWithPassword({ phone: mobile(1), password, deviceLabel, clientIp })
      assert.strictEqual(signedIn.user.id, account.user.id)
      assert.strictEqual((yield* authenticate(signedIn.accessToken)).userId, account.user.id)
      for (const attempt of [{ phone: mobile(1), password: "mauvais-mot-de-passe" }, { phone: mobile(3), password }, { phone: mobile(2), password }, { phone: "n'importe quoi", password }]) {
        assert.deepStrictEqual(yield* refusal(loginWithPassword({ ...attempt, deviceLabel, clientIp })), { _tag: "InvalidCredentials" }, attempt.phone)
      }
    }))

  rule("passwordMaxFailures wrong passwords pause password logins for the window, even with the right one", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      yield* registered(mobile(1), { password })
      const login = (tried: string) => loginWithPassword({ phone: mobile(1), password: tried, deviceLabel, clientIp })
      for (let failures = 0; failures < policy.passwordMaxFailures; failures++) {
        assert.deepStrictEqual(yield* refusal(login("mauvais-mot-de-passe")), { _tag: "InvalidCredentials" })
      }
      const paused = (retryAfterMs: number) => ({ _tag: "TooManyRequests", limit: "password_failures", retryAfterMs })
      assert.deepStrictEqual(yield* refusal(login(password)), paused(policy.passwordFailureWindowMs))
      yield* TestClock.adjust(policy.passwordFailureWindowMs - 1)
      assert.deepStrictEqual(yield* refusal(login(password)), paused(1))
      yield* TestClock.adjust(1)
      yield* login(password)
    }))

  it.effect("a burst of guesses sent at once is counted as it arrives: past the limit no hash is even checked", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      yield* registered(mobile(9), { password })
      let verifications = 0
      // Argon2 takes milliseconds: this hasher yields while "hashing", so the 50 logins interleave.
      const slowHasher = Layer.effect(PasswordHasher, Effect.gen(function*() {
        const real = yield* PasswordHasher
        return PasswordHasher.of({
          hash: real.hash,
          verify: (stored, plain) =>
            Effect.sync(() => void verifications++).pipe(Effect.andThen(Effect.yieldNow), Effect.andThen(Effect.yieldNow), Effect.andThen(real.verify(stored, plain)))
        })
      })).pipe(Layer.provide(PasswordHasherMemory))
      const outcomes = yield* Effect.all(
        Array.from({ length: 50 }, () => refusal(loginWithPassword({ phone: mobile(9), password: "devine", deviceLabel, clientIp }))),
        { concurrency: "unbounded" }
      // The service takes its hasher when built: built here again on the slow one, the stores shared.
      ).pipe(Effect.provide(Layer.fresh(Auth.layer).pipe(Layer.provide(slowHasher))))
      assert.strictEqual(verifications, policy.passwordMaxFailures)
      assert.strictEqual(outcomes.filter((outcome) => outcome._tag === "InvalidCredentials").length, policy.passwordMaxFailures)
      assert.strictEqual(outcomes.filter((outcome) => outcome._tag === "TooManyRequests").length, 50 - policy.passwordMaxFailures)
    }).pipe(Effect.provide(adapters)))

  rule("one client trying passwords over many phones is paused after passwordMaxPerIpPerWindow tries", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      for (let phone = 0; phone < policy.passwordMaxPerIpPerWindow; phone++) {
        assert.deepStrictEqual(yield* refusal(loginWithPassword({ phone: mobile(5_000 + phone), password: "devine", deviceLabel, clientIp: "203.0.113.66" })), { _tag: "InvalidCredentials" })
      }
      const paused = yield* refusal(loginWithPassword({ phone: mobile(6_000), password: "devine", deviceLabel, clientIp: "203.0.113.66" }))
      assert.deepStrictEqual(paused, { _tag: "TooManyRequests", limit: "password_per_ip", retryAfterMs: policy.passwordFailureWindowMs })
      // Another client is not held back.
      assert.deepStrictEqual(yield* refusal(loginWithPassword({ phone: mobile(6_000), password: "devine", deviceLabel, clientIp: "203.0.113.67" })), { _tag: "InvalidCredentials" })
    }))

  rule("a successful login forgets the failures before it", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      yield* registered(mobile(1), { password })
      const login = (tried: string) => loginWithPassword({ phone: mobile(1), password: tried, deviceLabel, clientIp })
      for (let round = 0; round < 2; round++) {
        for (let failures = 1; failures < policy.passwordMaxFailures; failures++) yield* login("mauvais-mot-de-passe").pipe(Effect.ignore)
        yield* login(password)
      }
    }))

  rule("failures on a phone with no account pause it the same, so the pause tells nothing", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      const login = loginWithPassword({ phone: mobile(9), password, deviceLabel, clientIp })
      for (let failures = 0; failures < policy.passwordMaxFailures; failures++) yield* login.pipe(Effect.ignore)
      assert.deepStrictEqual(yield* refusal(login), { _tag: "TooManyRequests", limit: "password_failures", retryAfterMs: policy.passwordFailureWindowMs })
    }))
})

describe("sessions", () => {
  rule("a refresh token rotates; presenting a used one revokes the session, its access tokens included", () =>
    Effect.gen(function*() {
      const first = yield* registered(mobile(1))
      yield* TestClock.adjust(60_000)
      const second = yield* refreshSession(first.refreshToken)
      assert.notStrictEqual(second.refreshToken, first.refreshToken)
      assert.notStrictEqual(second.accessToken, first.accessToken)
      const claims = yield* authenticate(second.accessToken)
      assert.strictEqual(claims.sessionId, (yield* authenticate(first.accessToken)).sessionId)

      assert.deepStrictEqual(yield* refusal(refreshSession(first.refreshToken)), { _tag: "RefreshTokenReused" })
      assert.deepStrictEqual(yield* refusal(authenticate(second.accessToken)), { _tag: "AccessTokenInvalid", reason: "revoked" })
      assert.deepStrictEqual(yield* refusal(authenticate(first.accessToken)), { _tag: "AccessTokenInvalid", reason: "revoked" })
      // The legitimate device's newer refresh token dies with the session too.
      assert.deepStrictEqual(yield* refusal(refreshSession(second.refreshToken)), { _tag: "RefreshTokenInvalid" })
    }))

  rule("a rotation renews the session for refreshTokenTtlMs; an unused session expires after it", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      const first = yield* registered(mobile(1))
      yield* TestClock.adjust(policy.refreshTokenTtlMs - 1)
      const renewed = yield* refreshSession(first.refreshToken)
      assert.strictEqual(renewed.refreshTokenExpiresAt.getTime(), 2 * policy.refreshTokenTtlMs - 1)
      yield* TestClock.adjust(policy.refreshTokenTtlMs)
      assert.deepStrictEqual(yield* refusal(refreshSession(renewed.refreshToken)), { _tag: "RefreshTokenInvalid" })
      assert.deepStrictEqual(yield* refusal(refreshSession("never-issued")), { _tag: "RefreshTokenInvalid" })
    }))

  rule("logout: that device's access token and refresh token stop working, the user's other devices do not", () =>
    Effect.gen(function*() {
      const phone = mobile(1)
      const phoneDevice = yield* registered(phone, { password })
      const laptop = yield* loginWithPassword({ phone, password, deviceLabel: "Laptop", clientIp })
      yield* logout(yield* authenticate(phoneDevice.accessToken))
      assert.deepStrictEqual(yield* refusal(authenticate(phoneDevice.accessToken)), { _tag: "AccessTokenInvalid", reason: "revoked" })
      assert.deepStrictEqual(yield* refusal(refreshSession(phoneDevice.refreshToken)), { _tag: "RefreshTokenInvalid" })
      assert.strictEqual((yield* authenticate(laptop.accessToken)).userId, laptop.user.id)
      yield* refreshSession(laptop.refreshToken)
    }))

  rule("an access token expires after accessTokenTtlMs; a refresh gives a new one", () =>
    Effect.gen(function*() {
      const policy = yield* AuthPolicy
      const signedIn = yield* registered(mobile(1))
      yield* TestClock.adjust(policy.accessTokenTtlMs - 1)
      yield* authenticate(signedIn.accessToken)
      yield* TestClock.adjust(1)
      assert.deepStrictEqual(yield* refusal(authenticate(signedIn.accessToken)), { _tag: "AccessTokenInvalid", reason: "expired" })
      const refreshed = yield* refreshSession(signedIn.refreshToken)
      assert.strictEqual((yield* authenticate(refreshed.accessToken)).userId, signedIn.user.id)
      assert.deepStrictEqual(yield* refusal(authenticate("not-a-token")), { _tag: "AccessTokenInvalid", reason: "malformed" })
    }))
})
