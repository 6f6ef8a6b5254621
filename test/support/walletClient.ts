import { randomBytes, randomInt, randomUUID } from "node:crypto"
import { assert } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import type { ApiResponse } from "./apiClient.ts"
import { client } from "./authClient.ts"
import { accountWithRoles } from "./catalogueAccounts.ts"
import { cinetpayNotification, fakeCinetPay } from "./fakeCinetPay.ts"
import { fakeWave, waveSignatureHeader } from "./fakeWave.ts"
import { type Answer, answered, type NeloClient } from "./neloClient.ts"
import { startApi } from "./startApi.ts"

// The wallet through the API as people and gateways use it: fake Wave and CinetPay on local ports,
// the API wired to them (startApi), people with a PIN, money brought in by a real top-up (checkout
// opened, paid at the fake, signed webhook), and bounded polls for what the API does in the background.

export const waveApiKey = "wave_ci_prod_test_key_0123456789"
export const waveWebhookSecret = "wave_ci_AS_test_webhook_secret_0123456789"
export const cinetpayApiKey = "12912847765bc0db748fdd44.40081707"
export const cinetpaySiteId = "445160"
export const cinetpaySecretKey = "202783455685bd868b44665.45198979"

/** The env that points the API at the fakes (one trusted proxy: each client has its own IP). */
export const gatewayEnv = (wave: { readonly baseUrl: string }, cinetpay: { readonly baseUrl: string }) => ({
  TRUSTED_PROXY_HOPS: "1",
  WAVE_API_KEY: waveApiKey,
  WAVE_WEBHOOK_SECRETS: waveWebhookSecret,
  WAVE_BASE_URL: wave.baseUrl,
  CINETPAY_API_KEY: cinetpayApiKey,
  CINETPAY_SITE_ID: cinetpaySiteId,
  CINETPAY_SECRET_KEY: cinetpaySecretKey,
  CINETPAY_BASE_URL: cinetpay.baseUrl,
  PUBLIC_API_URL: "https://api.nelo.test",
  PAYMENT_REQUEST_TIMEOUT_MS: "3000"
})

/**
 * Fake Wave and CinetPay, and the API wired to them (env overrides on top, e.g. small limits).
 * Everything is closed with the scope.
 */
export const walletTestbed = (env: Record<string, string | undefined> = {}) =>
  Effect.gen(function*() {
    const wave = yield* fakeWave({ apiKey: waveApiKey })
    const cinetpay = yield* fakeCinetPay({ apiKey: cinetpayApiKey, siteId: cinetpaySiteId })
    const api = yield* startApi({ ...gatewayEnv(wave, cinetpay), ...env })
    return { api, wave, cinetpay }
  })

export type Testbed = Effect.Success<ReturnType<typeof walletTestbed>>
type Api = Testbed["api"]

/** An idempotency key as the app makes one. */
export const newKey = () => randomUUID()

/** A PIN nobody would call guessable (isGuessablePin): no run, no repeat, no alternation. */
export const randomPin = () => {
  for (;;) {
    const pin = String(randomInt(0, 10_000)).padStart(4, "0")
    const digits = [...pin].map(Number)
    const steps = digits.slice(1).map((digit, index) => (digit - digits[index]! + 10) % 10)
    const constant = steps.every((step) => step === steps[0]) && (steps[0] === 0 || steps[0] === 1 || steps[0] === 9)
    if (!constant && !(digits[0] === digits[2] && digits[1] === digits[3])) return pin
  }
}

/** A PIN that is not `pin` (and would be accepted as a PIN by the API's format). */
export const otherPin = (pin: string) => `${(Number(pin[0]) + 1) % 10}${pin.slice(1)}`

export type TopupPayload = Parameters<NeloClient["wallet"]["topup"]>[0]["payload"]
export type TransferPayload = Parameters<NeloClient["wallet"]["transfer"]>[0]["payload"]
export type HistoryQuery = Parameters<NeloClient["wallet"]["transactions"]>[0]["query"]

/**
 * A registered person (their own client IP) with a PIN set through PUT /users/me/pin, and shortcuts
 * for their wallet calls through the typed client (`api`): each is the client's own call, to run
 * with answered, problemOf or answerOf. `request` sends raw JSON as this person's device.
 */
export const personWithPin = (api: Api, fullName = "Aya Kouassi") =>
  Effect.gen(function*() {
    const { as, request, registered } = client(api)
    const account = yield* registered()
    const token = account.accessToken
    const typed = as(token)
    if (fullName !== "Aya Kouassi") {
      const renamed = yield* answered(typed.users.updateMe({ payload: { fullName } }))
      assert.strictEqual(renamed.status, 200, JSON.stringify(renamed.body))
    }
    const pin = randomPin()
    const set = yield* answered(typed.users.setPin({ payload: { pin } }))
    assert.strictEqual(set.status, 204, JSON.stringify(set.body))
    return {
      userId: account.user.id,
      /** As typed in the app: 07 12 34 56 78. */
      phone: account.phone,
      e164: `+225${account.phone}`,
      fullName,
      token,
      pin,
      request,
      /** The typed client, signed in as this person, from their device. */
      api: typed,
      /** The typed client from this person's device with another token (or none). */
      as,
      wallet: () => typed.wallet.overview(),
      history: (query: HistoryQuery = {}) => typed.wallet.transactions({ query }),
      topup: (payload: TopupPayload) => typed.wallet.topup({ payload }),
      transfer: (payload: TransferPayload) => typed.wallet.transfer({ payload }),
      /** A transfer to `to` with this person's PIN and a fresh key, unless overridden. */
      send: (to: { readonly phone: string }, amount: number, extra: Partial<TransferPayload> = {}) =>
        typed.wallet.transfer({ payload: { toPhone: to.phone, amount, pin, idempotencyKey: newKey(), ...extra } })
    }
  })

export type Person = Effect.Success<ReturnType<typeof personWithPin>>

/** An admin (roles set in the database, token refreshed). Needs SqlClient. */
export const adminOf = (api: Api) => accountWithRoles(api, ["client", "admin"])

export const balanceOf = (person: Person) =>
  Effect.gen(function*() {
    const wallet = yield* answered(person.wallet())
    assert.strictEqual(wallet.status, 200, JSON.stringify(wallet.body))
    return wallet.body.balanceXof
  })

/**
 * Polls until `check` holds, every 20 ms, for at most `timeoutMs`; fails the test with `what` and
 * the last value seen otherwise. For what the API does after answering (a webhook's credit).
 */
export const eventually = <A, E, R>(read: Effect.Effect<A, E, R>, check: (value: A) => boolean, what: string, timeoutMs = 5_000) =>
  Effect.gen(function*() {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = yield* read
      if (check(value)) return value
      if (Date.now() > deadline) return assert.fail(`${what}: not within ${timeoutMs} ms; last seen ${JSON.stringify(value)}`)
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20)))
    }
  })

/** Polls GET /wallet until the balance is `expected` (bounded); returns the overview. */
export const waitForBalance = (person: Person, expected: number, timeoutMs = 5_000) =>
  Effect.map(
    eventually(answered(person.wallet()), (response) => response.status === 200 && response.body.balanceXof === expected, `balance of ${expected} F`, timeoutMs),
    (response) => response.body
  )

/** A POST with exactly these bytes and headers, as a gateway sends its notifications. */
export const postRaw = (url: string, headers: Record<string, string>, rawBody: string, method = "POST") =>
  Effect.promise(async (): Promise<ApiResponse> => {
    const response = await fetch(url, { method, headers, ...(method === "GET" ? {} : { body: rawBody }) })
    const text = await response.text()
    let body: any = text
    try {
      body = text === "" ? undefined : JSON.parse(text)
    } catch {
      // Kept as text.
    }
    return { status: response.status, headers: response.headers, body }
  })

export const wavePath = "/api/v1/payments/webhooks/wave"
export const cinetpayPath = "/api/v1/payments/webhooks/cinetpay"

/**
 * Wave's `checkout.session.completed` for an intent, as the fake's session reads now, signed with
 * the webhook secret at `signedAtMs` (now by default). Same `eventId`: the same delivery, replayed.
 */
export const waveCompletedWebhook = (
  bed: Testbed,
  intentId: string,
  options: { readonly eventId?: string; readonly signedAtMs?: number; readonly secret?: string } = {}
) => {
  const eventId = options.eventId ?? `AE_ci_${randomBytes(8).toString("hex")}`
  const rawBody = JSON.stringify({ id: eventId, type: "checkout.session.completed", data: { ...bed.wave.sessionOf(intentId) } })
  const signature = waveSignatureHeader(rawBody, options.secret ?? waveWebhookSecret, Math.floor((options.signedAtMs ?? Date.now()) / 1000))
  return { eventId, rawBody, headers: { "content-type": "application/json", "wave-signature": signature } }
}

export const deliver = (bed: Testbed, path: string, webhook: { readonly rawBody: string; readonly headers: Record<string, string> }) =>
  postRaw(`${bed.api.url}${path}`, webhook.headers, webhook.rawBody)

/** CinetPay's signed notification (form body, x-token) for a transaction, paid unless `fields` say otherwise. */
export const cinetpayIpn = (transactionId: string, fields: Readonly<Record<string, string | undefined>> = {}, secretKey = cinetpaySecretKey) => {
  const notification = cinetpayNotification({ secretKey, siteId: cinetpaySiteId, transactionId, fields })
  return { rawBody: notification.rawBody, headers: notification.headers as Record<string, string>, eventId: notification.headers["x-token"]! }
}

/** Whether a stored webhook event has been processed (its confirmation and credit done). Needs SqlClient. */
export const webhookProcessed = (gateway: "wave" | "cinetpay", eventId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ processed: boolean }>`SELECT processed_at IS NOT NULL AS processed FROM payments.webhook_events WHERE gateway = ${gateway} AND event_id = ${eventId}`
    return rows[0]?.processed ?? false
  })

/** Polls until the event is stored and processed: after that, whatever it was going to credit is credited. */
export const waitForProcessed = (gateway: "wave" | "cinetpay", eventId: string, timeoutMs = 5_000) =>
  eventually(webhookProcessed(gateway, eventId), (processed) => processed, `webhook ${gateway}:${eventId} processed`, timeoutMs)

/** The ledger transactions that credited this intent (0 or 1, whatever the webhooks). Needs SqlClient. */
export const creditsOfIntent = (intentId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ count: string }>`SELECT count(*) AS count FROM wallet.transactions WHERE idempotency_key = ${`topup:${intentId}`}`
    return Number(rows[0]!.count)
  })

export const intentRow = (intentId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ status: string; gateway: string; amountXof: string; ledgerTransactionId: string | null; failureReason: string | null }>`
      SELECT status, gateway, amount_xof, ledger_transaction_id, failure_reason FROM payments.intents WHERE id = ${intentId}`
    assert.lengthOf(rows, 1, `intent ${intentId}`)
    return rows[0]!
  })

/** Opens a Wave top-up for a person; asserts the 201 and that Wave (not the fallback) opened it. */
export const startWaveTopup = (person: Person, amount: number, idempotencyKey = newKey()) =>
  Effect.gen(function*() {
    const started = yield* answered(person.topup({ amount, method: "wave", idempotencyKey }))
    assert.strictEqual(started.status, 201, JSON.stringify(started.body))
    assert.strictEqual(started.body.method, "wave", JSON.stringify(started.body))
    return started.body
  })

/**
 * Money into a wallet the way it really arrives: a Wave top-up opened through the API, paid at the
 * fake Wave, its signed webhook delivered, then polled until the balance shows it and the webhook is
 * processed. Needs SqlClient.
 */
export const topUpWithWave = (bed: Testbed, person: Person, amount: number) =>
  Effect.gen(function*() {
    const before = yield* balanceOf(person)
    const intent = yield* startWaveTopup(person, amount)
    bed.wave.pay(intent.id)
    const webhook = waveCompletedWebhook(bed, intent.id)
    const delivered = yield* deliver(bed, wavePath, webhook)
    assert.strictEqual(delivered.status, 200, JSON.stringify(delivered.body))
    yield* waitForBalance(person, before + amount)
    // The credit shows before the intent is marked succeeded: done only once the event is processed.
    yield* waitForProcessed("wave", webhook.eventId)
    return intent
  })

/** A new person with a PIN and `amount` F in their wallet, brought by a real Wave top-up. */
export const fundedPerson = (bed: Testbed, amount: number, fullName?: string) =>
  Effect.gen(function*() {
    const person = yield* personWithPin(bed.api, fullName)
    const intent = yield* topUpWithWave(bed, person, amount)
    return { ...person, topupIntentId: intent.id }
  })

/** How many ledger transactions touch a person's wallet (0 without a wallet). Needs SqlClient. */
export const ledgerCountOf = (userId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ count: string }>`
      SELECT count(*) AS count FROM wallet.postings p JOIN wallet.accounts a ON a.id = p.account_id
      WHERE a.kind = 'customer_wallet' AND a.owner_id = ${userId}`
    return Number(rows[0]!.count)
  })

/** A person's money as the database holds it: stored balance, transactions, intents. Needs SqlClient. */
export const moneyOf = (userId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const [balance] = yield* sql<{ balance: string | null; frozen: string | null }>`
      SELECT (SELECT balance_xof FROM wallet.accounts WHERE kind = 'customer_wallet' AND owner_id = ${userId}) AS balance,
             (SELECT frozen_reason FROM wallet.accounts WHERE kind = 'customer_wallet' AND owner_id = ${userId}) AS frozen`
    const [intents] = yield* sql<{ count: string }>`SELECT count(*) AS count FROM payments.intents WHERE user_id = ${userId}`
    return { balanceXof: Number(balance!.balance ?? 0), frozenReason: balance!.frozen, transactions: yield* ledgerCountOf(userId), intents: Number(intents!.count) }
  })

/** A 429 asking to retry in a moment: more checks of one person's PIN in flight than wrong PINs allowed. */
export const isPinBusy = (answer: Answer<unknown, unknown>) => !answer.ok && answer.status === 429 && answer.body.retryAfterSeconds === 1

/**
 * Sends every request at once, then, as an app honouring Retry-After does, sends again (same body,
 * same idempotency key) those answered "PIN busy", until none is; the final answer of each.
 */
export const sendRetryingBusy = <A, E>(requests: ReadonlyArray<() => Effect.Effect<Answer<A, E>>>, maximumRounds = 20) =>
  Effect.gen(function*() {
    const answers: Array<Answer<A, E>> = yield* Effect.all(requests.map((request) => request()), { concurrency: "unbounded" })
    let busy = answers.flatMap((answer, index) => (isPinBusy(answer) ? [index] : []))
    for (let round = 0; busy.length > 0 && round < maximumRounds; round++) {
      yield* Effect.sleep("1 second")
      const retried = yield* Effect.all(busy.map((index) => requests[index]!()), { concurrency: "unbounded" })
      retried.forEach((answer, position) => (answers[busy[position]!] = answer))
      busy = busy.filter((index) => isPinBusy(answers[index]!))
    }
    return answers
  })
