import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SmsSenderOrange } from "@nelo/adapters/sms/SmsSenderOrange"
import type { Phone } from "@nelo/domain/shared/Phone"
import { SmsSender } from "@nelo/domain/notifications/SmsSender"
import { fakeHttpServer, sendJson } from "../../support/fakeHttpServer.ts"
import { withEnv } from "../../support/withEnv.ts"

const clientId = "nelo-client"
const clientSecret = "s3cret-orange"
const sender = "+2250700000000"
const sendPath = `/smsmessaging/v1/outbound/${encodeURIComponent(`tel:${sender}`)}/requests`

/** Orange's API as REFERENCE.md describes it: token endpoint and outbound SMS endpoint. */
const fakeOrange = (options: { expiresInSeconds?: number; sendStatuses?: Array<number> } = {}) =>
  Effect.gen(function*() {
    let issued = 0
    const valid = new Set<string>()
    const sendStatuses = options.sendStatuses ?? []
    const server = yield* fakeHttpServer((request, response) => {
      if (request.method === "POST" && request.url === "/oauth/v3/token") {
        const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`
        if (request.headers.authorization !== expected || request.body !== "grant_type=client_credentials") {
          return sendJson(response, 401, { error: "invalid_client" })
        }
        const token = `token-${++issued}`
        valid.add(token)
        return sendJson(response, 200, { token_type: "Bearer", access_token: token, expires_in: options.expiresInSeconds ?? 3600 })
      }
      if (request.method === "POST" && request.url === sendPath) {
        const token = request.headers.authorization?.replace(/^Bearer /u, "") ?? ""
        if (!valid.has(token)) return sendJson(response, 401, { code: 42, message: "Expired credentials" })
        const forced = sendStatuses.shift()
        if (forced) return sendJson(response, forced, { requestError: { serviceException: { messageId: "SVC0001" } } })
        return sendJson(response, 201, JSON.parse(request.body))
      }
      sendJson(response, 404, { error: "not found" })
    })
    return { ...server, revokeAll: () => valid.clear() }
  })

const orangeSender = (baseUrl: string) =>
  Layer.build(SmsSenderOrange.pipe(Layer.provide(withEnv({
    ORANGE_SMS_BASE_URL: baseUrl,
    ORANGE_SMS_CLIENT_ID: clientId,
    ORANGE_SMS_CLIENT_SECRET: clientSecret,
    ORANGE_SMS_SENDER_ADDRESS: sender,
    ORANGE_SMS_SENDER_NAME: "NELO",
    SMS_REQUEST_TIMEOUT_MS: "2000"
  })))).pipe(Effect.map((context) => Context.get(context, SmsSender)))

const message = { to: "+2250701020304" as Phone, body: "NELO : votre code est 123456. Il expire dans 5 minutes." }

layer(Layer.empty, { excludeTestServices: true })("SmsSenderOrange against a fake Orange API", (it) => {
  it.effect("gets a token with client credentials, then posts the message as Orange expects", () =>
    Effect.scoped(Effect.gen(function*() {
      const orange = yield* fakeOrange()
      const sms = yield* orangeSender(orange.baseUrl)
      yield* sms.send(message)
      const [tokenRequest, sendRequest] = orange.requests
      assert.strictEqual(tokenRequest!.headers["content-type"], "application/x-www-form-urlencoded")
      assert.strictEqual(sendRequest!.url, sendPath)
      assert.strictEqual(sendRequest!.headers.authorization, "Bearer token-1")
      assert.deepStrictEqual(JSON.parse(sendRequest!.body), {
        outboundSMSMessageRequest: {
          address: "tel:+2250701020304",
          senderAddress: `tel:${sender}`,
          senderName: "NELO",
          outboundSMSTextMessage: { message: message.body }
        }
      })
    })))

  it.effect("caches the token until it nears expiry: three messages, one token request", () =>
    Effect.scoped(Effect.gen(function*() {
      const orange = yield* fakeOrange()
      const sms = yield* orangeSender(orange.baseUrl)
      yield* Effect.all([sms.send(message), sms.send(message), sms.send(message)], { concurrency: 3 })
      assert.strictEqual(orange.requests.filter((request) => request.url === "/oauth/v3/token").length, 1)
      assert.strictEqual(orange.requests.filter((request) => request.url === sendPath).length, 3)
    })))

  it.effect("renews a token that expires within the safety margin", () =>
    Effect.scoped(Effect.gen(function*() {
      // Orange says 30 s; with a 60 s margin the token is already too old to reuse.
      const orange = yield* fakeOrange({ expiresInSeconds: 30 })
      const sms = yield* orangeSender(orange.baseUrl)
      yield* sms.send(message)
      yield* sms.send(message)
      assert.strictEqual(orange.requests.filter((request) => request.url === "/oauth/v3/token").length, 2)
    })))

  it.effect("a token revoked early (401 on send) is renewed once and the message sent", () =>
    Effect.scoped(Effect.gen(function*() {
      const orange = yield* fakeOrange()
      const sms = yield* orangeSender(orange.baseUrl)
      yield* sms.send(message)
      orange.revokeAll()
      yield* sms.send(message)
      const sends = orange.requests.filter((request) => request.url === sendPath)
      assert.deepStrictEqual(sends.map((request) => request.headers.authorization), ["Bearer token-1", "Bearer token-1", "Bearer token-2"])
    })))

  it.effect("a 5xx or 429 is a retryable failure; a 400 is not; an unreachable API is retryable", () =>
    Effect.scoped(Effect.gen(function*() {
      const orange = yield* fakeOrange({ sendStatuses: [503, 429, 400] })
      const sms = yield* orangeSender(orange.baseUrl)
      for (const retryable of [true, true, false]) {
        const failure = yield* Effect.flip(sms.send(message))
        assert.strictEqual(failure.provider, "orange")
        assert.strictEqual(failure.retryable, retryable)
      }
      const unreachable = yield* orangeSender("http://127.0.0.1:1")
      const failure = yield* Effect.flip(unreachable.send(message))
      assert.isTrue(failure.retryable)
      assert.match(failure.detail, /network error/u)
    })))

  it.effect("wrong client credentials are a failure that names the provider, never the secret", () =>
    Effect.scoped(Effect.gen(function*() {
      const orange = yield* fakeOrange()
      const sms = yield* Layer.build(SmsSenderOrange.pipe(Layer.provide(withEnv({
        ORANGE_SMS_BASE_URL: orange.baseUrl,
        ORANGE_SMS_CLIENT_ID: clientId,
        ORANGE_SMS_CLIENT_SECRET: "wrong-secret",
        ORANGE_SMS_SENDER_ADDRESS: sender
      })))).pipe(Effect.map((context) => Context.get(context, SmsSender)))
      const failure = yield* Effect.flip(sms.send(message))
      assert.strictEqual(failure.retryable, false)
      assert.notInclude(failure.detail, "wrong-secret")
    })))
})
