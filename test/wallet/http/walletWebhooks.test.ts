import { randomBytes } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import type { ApiResponse } from "../../support/apiClient.ts"
import { answered } from "../../support/neloClient.ts"
import {
  balanceOf,
  cinetpayIpn,
  cinetpayPath,
  creditsOfIntent,
  deliver,
  intentRow,
  ledgerCountOf,
  newKey,
  personWithPin,
  startWaveTopup,
  type Testbed,
  waitForBalance,
  waitForProcessed,
  walletTestbed,
  waveCompletedWebhook,
  wavePath
} from "../../support/walletClient.ts"

// The gateways' webhooks, as Wave and CinetPay send them and as an attacker would: a genuine one
// credits exactly once however often and however concurrently it arrives; a forged, stale or
// wrongly signed one is refused before anything is stored; and a signed one is never taken at its
// word: the gateway's API decides (still pending: nothing; another amount: nothing, and an alert).

class Bed extends Context.Service<Bed, Testbed>()("test/walletWebhooks/Bed") {}
const BedLayer = Layer.effect(Bed, walletTestbed())

const rejected = (response: ApiResponse) => {
  assert.strictEqual(response.status, 401, JSON.stringify(response.body))
  assert.strictEqual(response.headers.get("content-type"), "application/problem+json")
  assert.strictEqual(response.body.code, "webhook_rejected")
  assert.isString(response.body.message)
}

/** The webhook events stored for an intent, whatever their id. */
const storedEventsOf = (intentId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ count: string }>`SELECT count(*) AS count FROM payments.webhook_events WHERE intent_id = ${intentId}`
    return Number(rows[0]!.count)
  })

const storedEvent = (gateway: string, eventId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ count: string }>`SELECT count(*) AS count FROM payments.webhook_events WHERE gateway = ${gateway} AND event_id = ${eventId}`
    return Number(rows[0]!.count)
  })

layer(Layer.mergeAll(PostgresLayer, BedLayer), { excludeTestServices: true, timeout: "60 seconds" })("wallet: payment webhooks", (it) => {
  it.effect("a genuine Wave webhook for a paid top-up credits the wallet once", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* personWithPin(bed.api)
      const intent = yield* startWaveTopup(aya, 7_500)
      bed.wave.pay(intent.id)
      const webhook = waveCompletedWebhook(bed, intent.id)
      const delivered = yield* deliver(bed, wavePath, webhook)
      assert.strictEqual(delivered.status, 200, JSON.stringify(delivered.body))
      yield* waitForBalance(aya, 7_500)
      yield* waitForProcessed("wave", webhook.eventId)
      assert.strictEqual(yield* creditsOfIntent(intent.id), 1)
      const row = yield* intentRow(intent.id)
      assert.strictEqual(row.status, "succeeded")
      assert.isString(row.ledgerTransactionId)
      // Wave was asked: the session was read back by its id after the webhook.
      assert.isTrue(bed.wave.requests.some((request) => request.method === "GET" && request.url === `/v1/checkout/sessions/${bed.wave.sessionOf(intent.id).id}`))
    }))

  it.effect("the same webhook replayed 100 times at once: every delivery answered 2xx, exactly one credit", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* personWithPin(bed.api)
      const intent = yield* startWaveTopup(aya, 4_000)
      bed.wave.pay(intent.id)
      const webhook = waveCompletedWebhook(bed, intent.id)
      const answers = yield* Effect.all(Array.from({ length: 100 }, () => deliver(bed, wavePath, webhook)), { concurrency: "unbounded" })
      for (const answer of answers) assert.isTrue(answer.status >= 200 && answer.status < 300, `${answer.status} ${JSON.stringify(answer.body)}`)
      assert.strictEqual(answers.filter((answer) => answer.body.duplicate === false).length, 1, "one delivery is the new one, the others duplicates")
      yield* waitForBalance(aya, 4_000)
      yield* waitForProcessed("wave", webhook.eventId)
      assert.strictEqual(yield* storedEvent("wave", webhook.eventId), 1)
      assert.strictEqual(yield* creditsOfIntent(intent.id), 1)
      // Whatever its key: one transaction in the wallet at all.
      assert.strictEqual(yield* ledgerCountOf(aya.userId), 1)
      assert.strictEqual(yield* balanceOf(aya), 4_000)
    }))

  it.effect("50 different events about the same payment, at once: each processed, still exactly one credit", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* personWithPin(bed.api)
      const intent = yield* startWaveTopup(aya, 2_500)
      bed.wave.pay(intent.id)
      const webhooks = Array.from({ length: 50 }, () => waveCompletedWebhook(bed, intent.id))
      const answers = yield* Effect.all(webhooks.map((webhook) => deliver(bed, wavePath, webhook)), { concurrency: "unbounded" })
      for (const answer of answers) assert.strictEqual(answer.status, 200, JSON.stringify(answer.body))
      for (const webhook of webhooks) yield* waitForProcessed("wave", webhook.eventId)
      assert.strictEqual(yield* creditsOfIntent(intent.id), 1)
      assert.strictEqual(yield* ledgerCountOf(aya.userId), 1)
      assert.strictEqual(yield* balanceOf(aya), 2_500)
    }))

  it.effect("a forged Wave signature is refused with 401 and nothing is stored or credited", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* personWithPin(bed.api)
      const intent = yield* startWaveTopup(aya, 9_000)
      // Paid at Wave: a webhook that got through would credit. None of these may get through.
      bed.wave.pay(intent.id)
      const wrongSecret = waveCompletedWebhook(bed, intent.id, { secret: "wave_ci_AS_a_secret_we_never_gave" })
      const genuine = waveCompletedWebhook(bed, intent.id)
      const tampered = { ...genuine, rawBody: genuine.rawBody.replace(`"id":"${genuine.eventId}"`, `"id":"AE_ci_${randomBytes(8).toString("hex")}"`) }
      assert.notStrictEqual(tampered.rawBody, genuine.rawBody)
      const noSignature = { ...genuine, headers: { "content-type": "application/json" } }
      const garbage = { ...genuine, headers: { ...genuine.headers, "wave-signature": "t=abc,v1=zz" } }
      for (const forged of [wrongSecret, tampered, noSignature, garbage]) rejected(yield* deliver(bed, wavePath, forged))
      assert.strictEqual(yield* storedEventsOf(intent.id), 0, "payments.webhook_events has no row for the intent")
      assert.strictEqual(yield* storedEvent("wave", wrongSecret.eventId), 0)
      assert.strictEqual(yield* creditsOfIntent(intent.id), 0)
      assert.strictEqual(yield* balanceOf(aya), 0)
      assert.strictEqual((yield* intentRow(intent.id)).status, "pending")
    }))

  it.effect("a Wave webhook signed 6 minutes ago (or 6 minutes ahead) is refused with 401: a replay of an old delivery", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* personWithPin(bed.api)
      const intent = yield* startWaveTopup(aya, 6_000)
      bed.wave.pay(intent.id)
      const stale = waveCompletedWebhook(bed, intent.id, { signedAtMs: Date.now() - 6 * 60_000 })
      const ahead = waveCompletedWebhook(bed, intent.id, { signedAtMs: Date.now() + 6 * 60_000 })
      const staleAnswer = yield* deliver(bed, wavePath, stale)
      rejected(staleAnswer)
      assert.match(staleAnswer.body.message, /[Hh]orodatage/u)
      rejected(yield* deliver(bed, wavePath, ahead))
      assert.strictEqual(yield* storedEventsOf(intent.id), 0)
      assert.strictEqual(yield* creditsOfIntent(intent.id), 0)
      assert.strictEqual(yield* balanceOf(aya), 0)
      // Within the five minutes it is fine: 4 minutes old, credited.
      const recent = waveCompletedWebhook(bed, intent.id, { signedAtMs: Date.now() - 4 * 60_000 })
      assert.strictEqual((yield* deliver(bed, wavePath, recent)).status, 200)
      yield* waitForBalance(aya, 6_000)
    }))

  it.effect("a genuine webhook while Wave still says the payment is under way: 200, nothing credited, the top-up stays pending", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* personWithPin(bed.api)
      const intent = yield* startWaveTopup(aya, 3_000)
      // The webhook claims success; Wave's API, which is what counts, says processing.
      const webhook = waveCompletedWebhook(bed, intent.id)
      const lying = JSON.parse(webhook.rawBody)
      assert.strictEqual(lying.data.payment_status, "processing")
      const delivered = yield* deliver(bed, wavePath, webhook)
      assert.strictEqual(delivered.status, 200, JSON.stringify(delivered.body))
      yield* waitForProcessed("wave", webhook.eventId)
      assert.strictEqual(yield* creditsOfIntent(intent.id), 0)
      assert.strictEqual(yield* balanceOf(aya), 0)
      assert.strictEqual((yield* intentRow(intent.id)).status, "pending")
      const history = yield* answered(aya.history())
      assert.deepInclude(history.body.items[0], { id: intent.id, status: "pending" })
    }))

  it.effect("Wave reports another amount than the top-up's: nothing credited, the intent is a mismatch, and an alert event is written", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const sql = yield* SqlClient.SqlClient
      const aya = yield* personWithPin(bed.api)
      const intent = yield* startWaveTopup(aya, 1_000)
      bed.wave.pay(intent.id, { amount: "100000" })
      const webhook = waveCompletedWebhook(bed, intent.id)
      assert.strictEqual((yield* deliver(bed, wavePath, webhook)).status, 200)
      yield* waitForProcessed("wave", webhook.eventId)
      assert.strictEqual(yield* creditsOfIntent(intent.id), 0)
      assert.strictEqual(yield* balanceOf(aya), 0)
      const row = yield* intentRow(intent.id)
      assert.strictEqual(row.status, "mismatch")
      assert.isNull(row.ledgerTransactionId)
      const alerts = yield* sql<{ payload: { intentId: string; expected: { amountXof: number }; reported: { amountXof: number } } }>`
        SELECT payload FROM events.outbox WHERE type = 'payment.mismatch' AND aggregate_id = ${intent.id}`
      assert.lengthOf(alerts, 1)
      assert.strictEqual(alerts[0]!.payload.intentId, intent.id)
      assert.strictEqual(alerts[0]!.payload.expected.amountXof, 1_000)
      assert.strictEqual(alerts[0]!.payload.reported.amountXof, 100_000)
      const history = yield* answered(aya.history())
      assert.deepInclude(history.body.items[0], { id: intent.id, status: "mismatch", amountXof: 1_000 })

      // Another webhook later changes nothing: settled.
      const again = waveCompletedWebhook(bed, intent.id)
      assert.strictEqual((yield* deliver(bed, wavePath, again)).status, 200)
      yield* waitForProcessed("wave", again.eventId)
      assert.strictEqual(yield* balanceOf(aya), 0)
      assert.lengthOf(yield* sql`SELECT 1 FROM events.outbox WHERE type = 'payment.mismatch' AND aggregate_id = ${intent.id}`, 1)
    }))

  it.effect("a notification far larger than any gateway sends is refused with 413 before it is read, and nothing is stored", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* personWithPin(bed.api)
      const intent = yield* startWaveTopup(aya, 1_500)
      bed.wave.pay(intent.id)
      const genuine = waveCompletedWebhook(bed, intent.id)
      const event = JSON.parse(genuine.rawBody)
      const padded = waveCompletedWebhook(bed, intent.id)
      const huge = { ...padded, rawBody: JSON.stringify({ ...event, id: padded.eventId, padding: "x".repeat(100 * 1024) }) }
      const answer = yield* deliver(bed, wavePath, huge)
      assert.strictEqual(answer.status, 413, JSON.stringify(answer.body))
      assert.strictEqual(answer.body.code, "payload_too_large")
      assert.strictEqual(yield* storedEventsOf(intent.id), 0)
      assert.strictEqual(yield* balanceOf(aya), 0)
    }))

  it.effect("a CinetPay IPN with a wrong x-token, or none, or for another site, is refused with 401 and nothing is stored", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const kofi = yield* personWithPin(bed.api)
      bed.wave.answerNext(503, JSON.stringify({ error_code: "service-unavailable", message: "down" }))
      const started = yield* answered(kofi.topup({ amount: 2_000, method: "wave", idempotencyKey: newKey() }))
      assert.strictEqual(started.status, 201, JSON.stringify(started.body))
      assert.strictEqual(started.body.method, "cinetpay")
      bed.cinetpay.pay(started.body.id)

      const wrongKey = cinetpayIpn(started.body.id, { cpm_amount: "2000" }, "a-secret-key-that-is-not-ours")
      const genuine = cinetpayIpn(started.body.id, { cpm_amount: "2000" })
      const edited = { ...genuine, rawBody: genuine.rawBody.replace("cpm_amount=2000", "cpm_amount=200000") }
      assert.notStrictEqual(edited.rawBody, genuine.rawBody)
      const noToken = { ...genuine, headers: { "content-type": "application/x-www-form-urlencoded" } }
      const otherSite = cinetpayIpn(started.body.id, { cpm_amount: "2000", cpm_site_id: "999999" })
      for (const forged of [wrongKey, edited, noToken, otherSite]) rejected(yield* deliver(bed, cinetpayPath, forged))
      assert.strictEqual(yield* storedEventsOf(started.body.id), 0)
      assert.strictEqual(yield* creditsOfIntent(started.body.id), 0)
      assert.strictEqual(yield* balanceOf(kofi), 0)

      // The genuine one, after all that: credited.
      assert.strictEqual((yield* deliver(bed, cinetpayPath, genuine)).status, 200)
      yield* waitForBalance(kofi, 2_000)
      assert.strictEqual(yield* creditsOfIntent(started.body.id), 1)
    }))
})
