import { assert } from "@effect/vitest"
import { Effect } from "effect"
import { type ApiResponse, call, randomClientIp, randomMobile } from "./apiClient.ts"
import type { startApi } from "./startApi.ts"

/**
 * A person using the API through the mobile app: their own client IP, their SMS read from the
 * in-memory outbox, and shortcuts for the usual first steps (verify a phone, register).
 */
type Api = Effect.Success<ReturnType<typeof startApi>>

export const client = (api: Api) => {
  const clientIp = randomClientIp()
  const request = (method: string, path: string, options: { body?: unknown; rawBody?: string; token?: string } = {}) =>
    call(api.url, method, path, { ...options, clientIp })
  const lastCode = (phoneE164: string) => {
    const message = api.sms.sent().filter((sms) => sms.to === phoneE164).at(-1)
    assert.isDefined(message, `an SMS to ${phoneE164}`)
    return /\b(\d{6})\b/u.exec(message!.body)![1]!
  }
  const verifiedToken = (phone: string, purpose: "register" | "login") =>
    Effect.gen(function*() {
      const sent = yield* request("POST", "/api/v1/auth/send-otp", { body: { phone, purpose } })
      assert.strictEqual(sent.status, 202, JSON.stringify(sent.body))
      const verified = yield* request("POST", "/api/v1/auth/verify-otp", { body: { phone, purpose, code: lastCode(`+225${phone.replace(/\D/gu, "").slice(-10)}`) } })
      assert.strictEqual(verified.status, 200, JSON.stringify(verified.body))
      return verified.body.verificationToken as string
    })
  const registered = (options: { password?: string; referralCode?: string } = {}) =>
    Effect.gen(function*() {
      const phone = randomMobile()
      const verificationToken = yield* verifiedToken(phone, "register")
      const response = yield* request("POST", "/api/v1/auth/register", { body: { verificationToken, fullName: "Aya Kouassi", ...options } })
      assert.strictEqual(response.status, 201, JSON.stringify(response.body))
      return { phone, ...response.body as { accessToken: string; refreshToken: string; user: { id: string; referralCode: string } } }
    })
  return { request, lastCode, verifiedToken, registered }
}

export const expectProblem = (response: ApiResponse, status: number, code: string) => {
  assert.strictEqual(response.status, status, JSON.stringify(response.body))
  assert.strictEqual(response.headers.get("content-type"), "application/problem+json")
  assert.strictEqual(response.body.code, code)
  assert.isString(response.body.message)
}

