import { assert } from "@effect/vitest"
import { Effect } from "effect"
import type { SignInOtpPurpose } from "@nelo/domain/auth/OtpPurpose"
import { ReferralCode } from "@nelo/domain/users/User"
import { type ApiResponse, call, randomClientIp, randomMobile } from "./apiClient.ts"
import { answered, type NeloClient, neloClient } from "./neloClient.ts"
import type { startApi } from "./startApi.ts"

/**
 * A person using the API through the mobile app: their own client IP, their SMS read from the
 * in-memory outbox, and shortcuts for the usual first steps (verify a phone, register). `as(token)`
 * is the typed client (derived from NeloApi) from this device; `request` sends raw JSON, for the
 * tests whose point is a request the typed client would never send.
 */
type Api = Effect.Success<ReturnType<typeof startApi>>

export const client = (api: Api) => {
  const clientIp = randomClientIp()
  const request = (method: string, path: string, options: { body?: unknown; rawBody?: string; token?: string } = {}) =>
    call(api.url, method, path, { ...options, clientIp })
  const clients = new Map<string | undefined, NeloClient>()
  /** The typed client from this device, signed in with `token` (or not). */
  const as = (token?: string): NeloClient => {
    const existing = clients.get(token)
    if (existing !== undefined) return existing
    const made = neloClient(api.url, { clientIp, token })
    clients.set(token, made)
    return made
  }
  const lastCode = (phoneE164: string) => {
    const message = api.sms.sent().filter((sms) => sms.to === phoneE164).at(-1)
    assert.isDefined(message, `an SMS to ${phoneE164}`)
    return /\b(\d{6})\b/u.exec(message!.body)![1]!
  }
  const verifiedToken = (phone: string, purpose: typeof SignInOtpPurpose.Type) =>
    Effect.gen(function*() {
      const sent = yield* answered(as().auth.sendOtp({ payload: { phone, purpose } }))
      assert.strictEqual(sent.status, 202, JSON.stringify(sent.body))
      const verified = yield* answered(as().auth.verifyOtp({ payload: { phone, purpose, code: lastCode(`+225${phone.replace(/\D/gu, "").slice(-10)}`) } }))
      assert.strictEqual(verified.status, 200, JSON.stringify(verified.body))
      return verified.body.verificationToken
    })
  const registered = (options: { password?: string; referralCode?: string } = {}) =>
    Effect.gen(function*() {
      const phone = randomMobile()
      const verificationToken = yield* verifiedToken(phone, "register")
      const response = yield* answered(as().auth.register({
        payload: {
          verificationToken,
          fullName: "Aya Kouassi",
          ...(options.password === undefined ? {} : { password: options.password }),
          ...(options.referralCode === undefined ? {} : { referralCode: ReferralCode.make(options.referralCode) })
        }
      }))
      assert.strictEqual(response.status, 201, JSON.stringify(response.body))
      return { phone, ...response.body }
    })
  return { request, as, lastCode, verifiedToken, registered }
}

export type Account = Effect.Success<ReturnType<ReturnType<typeof client>["registered"]>>

/** A problem+json answer with this status and code, and a message (raw or from the typed client). */
export const expectProblem = (response: ApiResponse, status: number, code: string) => {
  assert.strictEqual(response.status, status, JSON.stringify(response.body))
  assert.strictEqual(response.headers.get("content-type"), "application/problem+json")
  assert.strictEqual(response.body.code, code)
  assert.isString(response.body.message)
}
