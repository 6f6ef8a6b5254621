import { assert, layer } from "@effect/vitest"
import { Cause, Context, Effect, Exit, Layer } from "effect"
import { decodeJwt, decodeProtectedHeader } from "jose"
import { PushSenderFcm } from "@nelo/adapters/push/PushSenderFcm"
import { PushSenderFromConfig } from "@nelo/adapters/push/PushSenderFromConfig"
import { type PushMessage, PushSender } from "@nelo/domain/notifications/PushSender"
import { captureLogs } from "../../support/captureLogs.ts"
import { type FakeFcm, fakeFcm, makeServiceAccount } from "../../support/fakeFcm.ts"
import { withEnv } from "../../support/withEnv.ts"

const account = makeServiceAccount("nelo-prod-ci")

const message: PushMessage = {
  token: "dXk2cE5hQ1RTbWU6APA91bH-device-one",
  title: "Nouvelle commande",
  body: "NELO : nouvelle commande ORD-7K3M9QXA, 3 article(s), 5 000 F CFA d'articles, déjà payée.",
  data: { orderId: "0192f3a4-5b6c-7d8e-9f00-112233445566", reference: "ORD-7K3M9QXA", kind: "created" }
}

const fcmSender = (fcm: FakeFcm, env: Record<string, string | undefined> = {}) =>
  Layer.build(PushSenderFcm.pipe(Layer.provide(withEnv({ ...fcm.env(account.privateKeyPem), ...env }))))
    .pipe(Effect.map((context) => Context.get(context, PushSender)))

// The way the key usually arrives: pasted from the service account's JSON, newlines as "\n".
const oneLine = (pem: string) => pem.trim().replace(/\n/gu, "\\n")

layer(Layer.empty, { excludeTestServices: true })("PushSenderFcm against a fake FCM", (it) => {
  it.effect("exchanges a signed assertion for an access token, then posts the message as FCM v1 expects", () =>
    Effect.scoped(Effect.gen(function*() {
      const fcm = yield* fakeFcm(account)
      const push = yield* fcmSender(fcm, { FCM_PRIVATE_KEY: oneLine(account.privateKeyPem) })
      yield* push.send(message)

      const [tokenRequest] = fcm.tokenRequests()
      const form = new URLSearchParams(tokenRequest!.body)
      assert.strictEqual(form.get("grant_type"), "urn:ietf:params:oauth:grant-type:jwt-bearer")
      const assertion = form.get("assertion")!
      assert.deepStrictEqual(decodeProtectedHeader(assertion), { alg: "RS256", typ: "JWT" })
      const claims = decodeJwt(assertion)
      assert.strictEqual(claims.iss, account.clientEmail)
      assert.strictEqual(claims.scope, "https://www.googleapis.com/auth/firebase.messaging")
      assert.strictEqual(claims.aud, `${fcm.baseUrl}/token`)
      assert.strictEqual(claims.exp! - claims.iat!, 3600)

      const [sendRequest] = fcm.sendRequests()
      assert.strictEqual(sendRequest!.url, "/v1/projects/nelo-prod-ci/messages:send")
      assert.strictEqual(sendRequest!.headers.authorization, "Bearer ya29.fake-access-token-1")
      assert.strictEqual(sendRequest!.headers["content-type"], "application/json")
      assert.deepStrictEqual(JSON.parse(sendRequest!.body), {
        message: {
          token: message.token,
          notification: { title: message.title, body: message.body },
          data: message.data,
          android: { priority: "high" }
        }
      })
    })))

  it.effect("caches the access token: concurrent sends share one exchange", () =>
    Effect.scoped(Effect.gen(function*() {
      const fcm = yield* fakeFcm(account)
      const push = yield* fcmSender(fcm)
      yield* Effect.all([push.send(message), push.send(message), push.send(message)], { concurrency: 3 })
      yield* push.send(message)
      assert.lengthOf(fcm.tokenRequests(), 1)
      assert.lengthOf(fcm.received(), 4)
    })))

  it.effect("renews an access token that expires within the safety margin", () =>
    Effect.scoped(Effect.gen(function*() {
      // Google says 30 s; with a 60 s margin the token is already too old to reuse.
      const fcm = yield* fakeFcm(account, { expiresInSeconds: 30 })
      const push = yield* fcmSender(fcm)
      yield* push.send(message)
      yield* push.send(message)
      assert.lengthOf(fcm.tokenRequests(), 2)
    })))

  it.effect("an access token revoked early (401) is renewed once and the message sent; concurrent sends renew it once", () =>
    Effect.scoped(Effect.gen(function*() {
      const fcm = yield* fakeFcm(account)
      const push = yield* fcmSender(fcm)
      yield* push.send(message)
      fcm.revokeAccessTokens()
      yield* Effect.all([push.send(message), push.send(message)], { concurrency: 2 })
      assert.lengthOf(fcm.tokenRequests(), 2)
      // Both refused with the first token, both sent again with the one renewal (arrival order may vary).
      assert.deepStrictEqual(fcm.sendRequests().map((request) => request.headers.authorization).sort(), [
        "Bearer ya29.fake-access-token-1",
        "Bearer ya29.fake-access-token-1",
        "Bearer ya29.fake-access-token-1",
        "Bearer ya29.fake-access-token-2",
        "Bearer ya29.fake-access-token-2"
      ])
      assert.lengthOf(fcm.received(), 3)
    })))

  it.effect("reads FCM's refusals: unregistered or invalid tokens are dead; quota and Google's failures may pass; the rest will not", () =>
    Effect.scoped(Effect.gen(function*() {
      const fcm = yield* fakeFcm(account)
      const push = yield* fcmSender(fcm)
      fcm.markUnregistered("uninstalled-app-token-0123456789")
      fcm.markInvalid("not-a-token-at-all-0123456789")
      for (const token of ["uninstalled-app-token-0123456789", "not-a-token-at-all-0123456789"]) {
        const failure = yield* Effect.flip(push.send({ ...message, token }))
        assert.deepInclude(failure, { provider: "fcm", tokenDead: true, retryable: false }, token)
      }
      const cases = [
        ["QUOTA_EXCEEDED", { retryable: true, tokenDead: false }],
        ["UNAVAILABLE", { retryable: true, tokenDead: false }],
        ["INTERNAL", { retryable: true, tokenDead: false }],
        // About our message, not the phone: no reason to forget it.
        ["INVALID_DATA", { retryable: false, tokenDead: false }],
        ["SENDER_ID_MISMATCH", { retryable: false, tokenDead: false }],
        // Apple's credentials in the Firebase console: renewing our token would not help.
        ["THIRD_PARTY_AUTH_ERROR", { retryable: false, tokenDead: false }]
      ] as const
      for (const [refusal, expected] of cases) {
        fcm.failNext(refusal)
        const failure = yield* Effect.flip(push.send(message))
        assert.deepInclude(failure, expected, refusal)
        assert.include(failure.detail, refusal === "INVALID_DATA" ? "INVALID_ARGUMENT" : refusal)
      }
      assert.lengthOf(fcm.tokenRequests(), 1, "no 401 here was about our access token")
      assert.deepStrictEqual(fcm.received(), [])
    })))

  it.effect("a 404 that is not Google's (a wrong FCM_API_URL) condemns no device", () =>
    Effect.scoped(Effect.gen(function*() {
      const fcm = yield* fakeFcm(account)
      const push = yield* fcmSender(fcm, { FCM_API_URL: `${fcm.baseUrl}/wrong-prefix` })
      const failure = yield* Effect.flip(push.send(message))
      assert.isFalse(failure.tokenDead)
      assert.isFalse(failure.retryable)
    })))

  it.effect("an unanswered send or an unreachable API is retryable after the timeout", () =>
    Effect.scoped(Effect.gen(function*() {
      const fcm = yield* fakeFcm(account)
      const push = yield* fcmSender(fcm)
      fcm.failNext("STALL")
      const stalled = yield* Effect.flip(push.send(message))
      assert.deepInclude(stalled, { retryable: true, tokenDead: false })
      assert.match(stalled.detail, /no answer within 1000 ms/u)
      const unreachable = yield* fcmSender(fcm, { FCM_TOKEN_URL: "http://127.0.0.1:1/token" })
      const failure = yield* Effect.flip(unreachable.send(message))
      assert.isTrue(failure.retryable)
      assert.match(failure.detail, /network error/u)
    })))

  it.effect("an assertion signed with another key is refused by Google: not retryable, and the key never shows", () =>
    Effect.scoped(Effect.gen(function*() {
      const fcm = yield* fakeFcm(account)
      const stranger = makeServiceAccount("nelo-prod-ci")
      const push = yield* fcmSender(fcm, { FCM_PRIVATE_KEY: stranger.privateKeyPem })
      const failure = yield* Effect.flip(push.send(message))
      assert.deepInclude(failure, { provider: "fcm", retryable: false, tokenDead: false })
      assert.include(failure.detail, "invalid_grant")
      assert.notInclude(failure.detail, stranger.privateKeyPem.split("\n")[1]!)
      assert.lengthOf(fcm.sendRequests(), 0)
    })))

  it.effect("start-up refuses a missing or malformed setting, naming the variable and never showing the key", () =>
    Effect.scoped(Effect.gen(function*() {
      const fcm = yield* fakeFcm(account)
      const keyLine = account.privateKeyPem.split("\n")[1]!
      const settings = [
        ["FCM_PRIVATE_KEY", { FCM_PRIVATE_KEY: account.privateKeyPem.replace("BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY") }],
        ["FCM_PRIVATE_KEY", { FCM_PRIVATE_KEY: account.privateKeyPem.replace(keyLine, keyLine.slice(0, 20)) }],
        ["FCM_PROJECT_ID", { FCM_PROJECT_ID: "Nelo Prod" }],
        ["FCM_CLIENT_EMAIL", { FCM_CLIENT_EMAIL: undefined }],
        ["FCM_TOKEN_URL", { FCM_TOKEN_URL: "oauth2.googleapis.com/token" }]
      ] as const
      for (const [variable, env] of settings) {
        const exit = yield* Effect.exit(fcmSender(fcm, env))
        assert.isTrue(Exit.isFailure(exit), variable)
        const text = Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""
        assert.include(text, variable)
        assert.notInclude(text, keyLine.slice(0, 20))
      }
    })))
})

layer(Layer.empty, { excludeTestServices: true })("PushSenderFromConfig", (it) => {
  const build = (env: Record<string, string | undefined>) =>
    Layer.build(PushSenderFromConfig.pipe(Layer.provide(withEnv(env)))).pipe(Effect.map((context) => Context.get(context, PushSender)))
  const noFcm = { FCM_PROJECT_ID: undefined, FCM_CLIENT_EMAIL: undefined, FCM_PRIVATE_KEY: undefined, PUSH_PROVIDER: undefined }

  it.effect("FCM when its service account is configured, the console otherwise; production refuses the console", () =>
    Effect.scoped(Effect.gen(function*() {
      const fcm = yield* fakeFcm(account)
      yield* (yield* build({ ...noFcm, ...fcm.env(account.privateKeyPem) })).send(message)
      assert.lengthOf(fcm.received(), 1)

      const logs = captureLogs()
      yield* (yield* build({ ...noFcm, NODE_ENV: "development" })).send(message).pipe(Effect.provide(logs.layer))
      const line = logs.lines.find((entry) => entry.message === "push sent (console)")
      assert.deepInclude(line?.annotations, { title: message.title, body: message.body })

      const refused = yield* Effect.exit(build({ ...noFcm, NODE_ENV: "production" }))
      assert.isTrue(Exit.isFailure(refused))
      assert.include(Exit.isFailure(refused) ? Cause.pretty(refused.cause) : "", "PUSH_PROVIDER")
      // Named explicitly, FCM needs its account: a missing one stops start-up.
      assert.isTrue(Exit.isFailure(yield* Effect.exit(build({ ...noFcm, PUSH_PROVIDER: "fcm" }))))
    })))
})
