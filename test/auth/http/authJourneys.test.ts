import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { ReferralCode } from "@nelo/domain/users/User"
import { randomMobile } from "../../support/apiClient.ts"
import { client, expectProblem } from "../../support/authClient.ts"
import { answered, problemOf } from "../../support/neloClient.ts"
import { startApi } from "../../support/startApi.ts"

// Every journey runs against the real routes, Postgres and Redis; SMS are kept in memory so the
// test reads the code like the person would. X-Forwarded-For (one trusted proxy) gives each test
// its own client IP, so per-IP limits stay per test.
const env = { TRUSTED_PROXY_HOPS: "1" }

layer(Layer.empty, { excludeTestServices: true, timeout: "60 seconds" })("auth journeys over HTTP", (it) => {
  it.effect("register: code by SMS in French naming NELO, verify, create the account, read the profile", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as, verifiedToken } = client(api)
      const phone = randomMobile()
      const verificationToken = yield* verifiedToken(`+225 ${phone.match(/\d{2}/gu)!.join(" ")}`, "register")
      const sms = api.sms.sent().at(-1)!
      assert.strictEqual(sms.to, `+225${phone}`)
      assert.match(sms.body, /^NELO : votre code de vérification est \d{6}\. Il expire dans 5 minutes\./u)

      const created = yield* answered(as().auth.register({ payload: { verificationToken, fullName: "Aya Kouassi", password: "manioc-attiéké" } }))
      assert.strictEqual(created.status, 201)
      assert.strictEqual(created.body.user.phone, `+225${phone}`)
      assert.deepStrictEqual(created.body.user.roles, ["client"])
      assert.isTrue(created.body.user.hasPassword)
      assert.match(created.body.user.referralCode, /^[0-9A-HJKMNP-TV-Z]{8}$/u)

      const me = yield* answered(as(created.body.accessToken).users.me())
      assert.strictEqual(me.status, 200)
      assert.strictEqual(me.body.fullName, "Aya Kouassi")

      // The verification token was used up.
      expectProblem(yield* problemOf(as().auth.register({ payload: { verificationToken, fullName: "Autre" } })), 401, "verification_token_invalid")
    })))

  it.effect("login by OTP and by password; wrong password and unknown phone look the same", () =>
    Effect.scoped(Effect.gen(function*() {
      // Registering sent a code a moment ago: no resend cooldown here, so the login code can follow.
      const api = yield* startApi({ ...env, OTP_RESEND_COOLDOWN_MS: "1" })
      const { as, verifiedToken, registered } = client(api)
      const account = yield* registered({ password: "mot-de-passe-solide" })
      const login = (payload: { readonly phone: string; readonly password: string } | { readonly verificationToken: string }) => as().auth.login({ payload })

      const byOtp = yield* answered(login({ verificationToken: yield* verifiedToken(account.phone, "login") }))
      assert.strictEqual(byOtp.status, 200)
      assert.strictEqual(byOtp.body.user.id, account.user.id)

      const byPassword = yield* answered(login({ phone: account.phone, password: "mot-de-passe-solide" }))
      assert.strictEqual(byPassword.status, 200)

      const wrong = yield* problemOf(login({ phone: account.phone, password: "pas-le-bon" }))
      const unknown = yield* problemOf(login({ phone: randomMobile(), password: "pas-le-bon" }))
      expectProblem(wrong, 401, "invalid_credentials")
      expectProblem(unknown, 401, "invalid_credentials")
      assert.strictEqual(wrong.body.message, unknown.body.message)
      assert.deepStrictEqual(wrong.error, unknown.error, "the same domain error: nothing tells them apart")

      // A login token for a phone without an account: verified, but no account.
      const stranger = yield* verifiedToken(randomMobile(), "login")
      expectProblem(yield* problemOf(login({ verificationToken: stranger })), 404, "account_not_found")
    })))

  it.effect("refresh rotates; presenting a used refresh token kills the whole session", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as, registered } = client(api)
      const account = yield* registered()
      const refresh = (refreshToken: string) => as().auth.refresh({ payload: { refreshToken } })
      const first = yield* answered(refresh(account.refreshToken))
      assert.strictEqual(first.status, 200)
      assert.notStrictEqual(first.body.refreshToken, account.refreshToken)
      assert.strictEqual((yield* answered(as(first.body.accessToken).users.me())).status, 200)

      // Someone replays the old token: theft. The session dies, for both holders.
      expectProblem(yield* problemOf(refresh(account.refreshToken)), 401, "refresh_token_reused")
      expectProblem(yield* problemOf(refresh(first.body.refreshToken)), 401, "refresh_token_invalid")
      expectProblem(yield* problemOf(as(first.body.accessToken).users.me()), 401, "unauthenticated")
    })))

  it.effect("logout: the access token is refused at once and the refresh token no longer works", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as, registered } = client(api)
      const account = yield* registered()
      assert.strictEqual((yield* answered(as(account.accessToken).auth.logout())).status, 204)
      expectProblem(yield* problemOf(as(account.accessToken).users.me()), 401, "unauthenticated")
      expectProblem(yield* problemOf(as().auth.refresh({ payload: { refreshToken: account.refreshToken } })), 401, "refresh_token_invalid")
    })))

  it.effect("OTP brute force: three wrong codes burn the code, and the fourth try fails even with the right one", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as, lastCode } = client(api)
      const phone = randomMobile()
      assert.strictEqual((yield* answered(as().auth.sendOtp({ payload: { phone, purpose: "register" } }))).status, 202)
      const right = lastCode(`+225${phone}`)
      const wrong = right === "000000" ? "111111" : "000000"
      const attempt = (code: string) => problemOf(as().auth.verifyOtp({ payload: { phone, purpose: "register", code } }))
      const first = yield* attempt(wrong)
      expectProblem(first, 422, "otp_incorrect")
      assert.match(first.body.message, /2 essais/u)
      assert.deepInclude(first.error, { _tag: "OtpIncorrect", attemptsLeft: 2 })
      expectProblem(yield* attempt(wrong), 422, "otp_incorrect")
      expectProblem(yield* attempt(wrong), 422, "otp_attempts_exhausted")
      expectProblem(yield* attempt(right), 422, "otp_expired")
    })))

  it.effect("a second code within the cooldown is refused with 429 and Retry-After", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as } = client(api)
      const phone = randomMobile()
      assert.strictEqual((yield* answered(as().auth.sendOtp({ payload: { phone, purpose: "login" } }))).status, 202)
      const again = yield* problemOf(as().auth.sendOtp({ payload: { phone, purpose: "login" } }))
      expectProblem(again, 429, "too_many_requests")
      const retryAfter = Number(again.headers.get("retry-after"))
      assert.isTrue(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`)
      assert.strictEqual(again.body.retryAfterSeconds, retryAfter)
      assert.deepInclude(again.error, { _tag: "TooManyRequests", limit: "otp_cooldown", retryAfterMs: retryAfter * 1000 })
    })))

  it.effect("per client IP: past the hourly limit every phone is refused from that IP", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi({ ...env })
      const { as } = client(api)
      const sendOtp = () => as().auth.sendOtp({ payload: { phone: randomMobile(), purpose: "login" } })
      // The default limit is 20 codes per IP per hour, each to a different phone.
      for (let index = 0; index < 20; index++) {
        assert.strictEqual((yield* answered(sendOtp())).status, 202)
      }
      expectProblem(yield* problemOf(sendOtp()), 429, "too_many_requests")
    })))

  it.effect("the SMS provider failing: 503, and the person may ask again at once (nothing consumed)", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as } = client(api)
      const phone = randomMobile()
      api.sms.failNext(1)
      expectProblem(yield* problemOf(as().auth.sendOtp({ payload: { phone, purpose: "register" } })), 503, "sms_unavailable")
      assert.strictEqual((yield* answered(as().auth.sendOtp({ payload: { phone, purpose: "register" } }))).status, 202)
    })))

  it.effect("phones: a fixed line cannot receive a code; malformed and foreign numbers are refused", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as } = client(api)
      const sendOtp = (phone: string) => problemOf(as().auth.sendOtp({ payload: { phone, purpose: "login" } }))
      expectProblem(yield* sendOtp("27 22 44 55 66"), 422, "phone_cannot_receive_sms")
      expectProblem(yield* sendOtp("+33 6 12 34 56 78"), 422, "phone_invalid")
      expectProblem(yield* sendOtp("09 01 02 03 04"), 422, "phone_invalid")
      assert.strictEqual(api.sms.sent().length, 0)
    })))

  it.effect("sessions: the list marks the current device; another user's session is a 404 and survives", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as, registered } = client(api)
      const alice = yield* registered({ password: "alice-password" })
      const secondDevice = yield* answered(as().auth.login({ payload: { phone: alice.phone, password: "alice-password" } }))
      const bob = yield* registered()

      const sessions = yield* answered(as(alice.accessToken).auth.sessions())
      assert.strictEqual(sessions.status, 200)
      assert.strictEqual(sessions.body.length, 2)
      assert.strictEqual(sessions.body.filter((session) => session.current).length, 1)
      const other = sessions.body.find((session) => !session.current)!

      expectProblem(yield* problemOf(as(bob.accessToken).auth.revokeSession({ params: { id: other.id } })), 404, "not_found")
      assert.strictEqual((yield* answered(as(secondDevice.body.accessToken).users.me())).status, 200)

      assert.strictEqual((yield* answered(as(alice.accessToken).auth.revokeSession({ params: { id: other.id } }))).status, 204)
      expectProblem(yield* problemOf(as(secondDevice.body.accessToken).users.me()), 401, "unauthenticated")
    })))

  it.effect("profile update: only the given fields change; bad values are refused and change nothing", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as, request, registered } = client(api)
      const account = yield* registered()
      const aya = as(account.accessToken)
      const updated = yield* answered(aya.users.updateMe({ payload: { email: "aya@example.ci", language: "en" } }))
      assert.strictEqual(updated.status, 200)
      assert.strictEqual(updated.body.email, "aya@example.ci")
      assert.strictEqual(updated.body.fullName, "Aya Kouassi")
      // Raw on purpose: values the typed client's schema would refuse before sending.
      const refused = yield* request("PUT", "/api/v1/users/me", { token: account.accessToken, body: { email: "pas-un-email", fullName: "X" } })
      expectProblem(refused, 400, "invalid_request")
      const me = yield* answered(aya.users.me())
      assert.strictEqual(me.body.email, "aya@example.ci")
      assert.strictEqual(me.body.language, "en")
      const cleared = yield* answered(aya.users.updateMe({ payload: { email: null } }))
      assert.isNull(cleared.body.email)
    })))

  it.effect("referral: a known code records the referrer; an unknown one is refused before anything is created", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as, registered, verifiedToken } = client(api)
      const referrer = yield* registered()
      yield* registered({ referralCode: referrer.user.referralCode })
      const phone = randomMobile()
      const token = yield* verifiedToken(phone, "register")
      expectProblem(yield* problemOf(as().auth.register({ payload: { verificationToken: token, fullName: "Koffi", referralCode: ReferralCode.make("ZZZZZZZZ") } })), 422, "referral_code_unknown")
      // The token was not used up by the refused attempt.
      assert.strictEqual((yield* answered(as().auth.register({ payload: { verificationToken: token, fullName: "Koffi" } }))).status, 201)
    })))

  it.effect("private endpoints refuse missing, forged, `alg: none` and foreign-key tokens", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { as, registered } = client(api)
      const account = yield* registered()
      const [header, payload] = account.accessToken.split(".")
      const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${payload}.`
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), roles: ["admin"] })).toString("base64url")}.${account.accessToken.split(".")[2]}`
      for (const token of [undefined, "garbage", none, tampered]) {
        const response = yield* problemOf(as(token).users.me())
        assert.strictEqual(response.status, 401, `token ${token?.slice(0, 20)}`)
      }
    })))

  it.effect("hostile and malformed bodies get problem+json and create nothing", () =>
    Effect.scoped(Effect.gen(function*() {
      const api = yield* startApi(env)
      const { request } = client(api)
      expectProblem(yield* request("POST", "/api/v1/auth/send-otp", { rawBody: "{\"phone\":" }), 400, "malformed_json")
      expectProblem(yield* request("POST", "/api/v1/auth/send-otp", { body: { phone: "0".repeat(10_000), purpose: "login" } }), 400, "invalid_request")
      expectProblem(yield* request("POST", "/api/v1/auth/send-otp", { body: { phone: randomMobile(), purpose: "admin" } }), 400, "invalid_request")
      expectProblem(yield* request("POST", "/api/v1/auth/verify-otp", { body: { phone: randomMobile(), purpose: "login", code: "12ab56" } }), 400, "invalid_request")
      expectProblem(yield* request("POST", "/api/v1/auth/register", { body: { verificationToken: "x".repeat(20), fullName: " " } }), 400, "invalid_request")
      expectProblem(yield* request("POST", "/api/v1/auth/register", { body: { verificationToken: "x".repeat(20), fullName: "Aya Kouassi" } }), 401, "verification_token_invalid")
      expectProblem(yield* request("POST", "/api/v1/auth/refresh", { body: { refreshToken: "n".repeat(43) } }), 401, "refresh_token_invalid")
      expectProblem(yield* request("POST", "/api/v1/auth/login", { body: { phone: ["0701020304"], password: 1 } }), 400, "invalid_request")
      assert.strictEqual(api.sms.sent().length, 0)
    })))
})
