import { assert, layer } from "@effect/vitest"
import { Context, Effect, Exit, Layer } from "effect"
import { SmsSenderTwilio } from "@nelo/adapters/sms/SmsSenderTwilio"
import { SmsSender } from "@nelo/domain/notifications/SmsSender"
import type { Phone } from "@nelo/domain/shared/Phone"
import { fakeHttpServer, sendJson } from "../../support/fakeHttpServer.ts"
import { withEnv } from "../../support/withEnv.ts"

const accountSid = `AC${"0123456789abcdef".repeat(2)}`
const authToken = "twilio-auth-token"

/** Twilio's Messages endpoint as documented: Basic auth, form body, 201 with the message resource. */
const fakeTwilio = (statuses: Array<number> = []) =>
  fakeHttpServer((request, response) => {
    if (request.method !== "POST" || request.url !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) return sendJson(response, 404, { code: 20404 })
    if (request.headers.authorization !== `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`) {
      return sendJson(response, 401, { code: 20003, message: "Authenticate", status: 401 })
    }
    const forced = statuses.shift()
    if (forced) return sendJson(response, forced, { code: 21211, message: "Invalid 'To' Phone Number", status: forced })
    const form = new URLSearchParams(request.body)
    sendJson(response, 201, { sid: "SM00000000000000000000000000000001", to: form.get("To"), body: form.get("Body"), status: "queued" })
  })

const twilioSender = (env: Record<string, string>) =>
  Layer.build(SmsSenderTwilio.pipe(Layer.provide(withEnv({ TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, ...env }))))
    .pipe(Effect.map((context) => Context.get(context, SmsSender)))

const message = { to: "+2250501020304" as Phone, body: "NELO : votre livreur arrive." }

layer(Layer.empty, { excludeTestServices: true })("SmsSenderTwilio against a fake Twilio API", (it) => {
  it.effect("posts To, MessagingServiceSid and Body as a form with Basic auth", () =>
    Effect.scoped(Effect.gen(function*() {
      const twilio = yield* fakeTwilio()
      const sms = yield* twilioSender({ TWILIO_BASE_URL: twilio.baseUrl, TWILIO_MESSAGING_SERVICE_SID: "MG123" })
      yield* sms.send(message)
      const [request] = twilio.requests
      assert.strictEqual(request!.headers["content-type"], "application/x-www-form-urlencoded")
      const form = new URLSearchParams(request!.body)
      assert.deepStrictEqual(Object.fromEntries(form), { To: "+2250501020304", Body: message.body, MessagingServiceSid: "MG123" })
    })))

  it.effect("uses From when no messaging service is configured", () =>
    Effect.scoped(Effect.gen(function*() {
      const twilio = yield* fakeTwilio()
      const sms = yield* twilioSender({ TWILIO_BASE_URL: twilio.baseUrl, TWILIO_FROM: "NELO" })
      yield* sms.send(message)
      assert.strictEqual(new URLSearchParams(twilio.requests[0]!.body).get("From"), "NELO")
    })))

  it.effect("a 400 (invalid number) is final; a 500 is retryable", () =>
    Effect.scoped(Effect.gen(function*() {
      const twilio = yield* fakeTwilio([400, 500])
      const sms = yield* twilioSender({ TWILIO_BASE_URL: twilio.baseUrl, TWILIO_FROM: "NELO" })
      assert.isFalse((yield* Effect.flip(sms.send(message))).retryable)
      assert.isTrue((yield* Effect.flip(sms.send(message))).retryable)
    })))

  it.effect("refuses to start without a sender, or with a malformed account sid", () =>
    Effect.scoped(Effect.gen(function*() {
      const noSender = yield* Effect.exit(twilioSender({}))
      assert.isTrue(Exit.isFailure(noSender))
      const badSid = yield* Effect.exit(Layer.build(SmsSenderTwilio.pipe(Layer.provide(withEnv({ TWILIO_ACCOUNT_SID: "nope", TWILIO_AUTH_TOKEN: "x", TWILIO_FROM: "NELO" })))))
      assert.isTrue(Exit.isFailure(badSid))
    })))
})
