import { xof } from "@nelo/domain/shared/Xof"
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { randomMobile } from "../../support/apiClient.ts"
import { UserId } from "@nelo/domain/users/User"
import { client, expectProblem } from "../../support/authClient.ts"
import { accountWithRoles } from "../../support/catalogueAccounts.ts"
import { answered, type NeloClient, neloClient, problemOf } from "../../support/neloClient.ts"
import {
  adminOf,
  balanceOf,
  creditsOfIntent,
  deliver,
  fundedPerson,
  moneyOf,
  newKey,
  otherPin,
  type Person,
  personWithPin,
  startWaveTopup,
  type Testbed,
  waitForBalance,
  walletTestbed,
  waveCompletedWebhook,
  wavePath
} from "../../support/walletClient.ts"

// Who may touch whose money. No token: nothing. Another person: nothing of theirs, whatever the
// cursor. An admin alone freezes, and a frozen wallet neither sends nor receives. A PIN guessed
// five times locks, the right one included. Limits hold to the franc. Every refusal is checked to
// have moved nothing, in the API and in the database.

class Bed extends Context.Service<Bed, Testbed>()("test/walletSecurity/Bed") {}
const BedLayer = Layer.effect(Bed, walletTestbed())

const freezesOf = (userId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ count: string }>`
      SELECT count(*) AS count FROM wallet.freezes f JOIN wallet.accounts a ON a.id = f.account_id
      WHERE a.kind = 'customer_wallet' AND a.owner_id = ${userId}`
    return Number(rows[0]!.count)
  })

/** Each person's money as the API and the database see it: unchanged by a refusal. */
const snapshot = (people: ReadonlyArray<Person>) =>
  Effect.forEach(people, (person) =>
    Effect.gen(function*() {
      const wallet = yield* answered(person.wallet())
      const history = yield* answered(person.history({ limit: 50 }))
      return { api: { balance: wallet.body.balanceXof, status: wallet.body.status, daily: wallet.body.daily, items: history.body.items.length }, stored: yield* moneyOf(person.userId) }
    }))

const ids = (response: { body: { items: ReadonlyArray<{ id: string }> } }) => response.body.items.map((item) => item.id)

/** An admin action on someone's wallet through the typed client. */
const walletAdmin = (api: NeloClient, action: "freeze" | "unfreeze", userId: string, reason: string) =>
  api.walletAdmin[action]({ params: { userId: UserId.make(userId) }, payload: { reason } })

layer(Layer.mergeAll(PostgresLayer, BedLayer), { excludeTestServices: true, timeout: "60 seconds" })("wallet: security", (it) => {
  it.effect("every wallet endpoint refuses a request without a token, or with a forged one: 401", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 2_000)
      const { as } = client(bed.api)
      const topup = { amount: 1_000, method: "wave", idempotencyKey: newKey() } as const
      const transfer = { toPhone: aya.phone, amount: 100, pin: "4826", idempotencyKey: newKey() }
      const calls: ReadonlyArray<readonly [string, (api: NeloClient) => Effect.Effect<unknown, unknown>]> = [
        ["GET /api/v1/wallet", (api) => api.wallet.overview()],
        ["GET /api/v1/wallet/transactions", (api) => api.wallet.transactions({ query: {} })],
        ["GET /api/v1/wallet/transactions?type=topup&limit=5", (api) => api.wallet.transactions({ query: { type: "topup", limit: 5 } })],
        ["POST /api/v1/wallet/topup", (api) => api.wallet.topup({ payload: topup })],
        ["POST /api/v1/wallet/transfer", (api) => api.wallet.transfer({ payload: transfer })],
        ["POST freeze", (api) => walletAdmin(api, "freeze", aya.userId, "Fraude suspectée")],
        ["POST unfreeze", (api) => walletAdmin(api, "unfreeze", aya.userId, "Levée du gel")]
      ]
      const [header, payload] = aya.token.split(".")
      const forged = `${header}.${payload}.${"A".repeat(43)}`
      for (const [, call] of calls) {
        expectProblem(yield* problemOf(call(as())), 401, "unauthenticated")
        expectProblem(yield* problemOf(call(as(forged))), 401, "unauthenticated")
        expectProblem(yield* problemOf(call(as("not-a-jwt"))), 401, "unauthenticated")
      }
      const money = yield* moneyOf(aya.userId)
      assert.deepStrictEqual(money, { balanceXof: 2_000, frozenReason: null, transactions: 1, intents: 1 })
      assert.strictEqual(yield* freezesOf(aya.userId), 0)
    }))

  it.effect("BOLA: another person sees nothing of someone's wallet, even with a cursor taken from their history", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 8_000)
      const kofi = yield* personWithPin(bed.api)
      const sent = yield* answered(aya.send(kofi, 1_500, { note: "Loyer de novembre" }))
      assert.strictEqual(sent.status, 201, JSON.stringify(sent.body))
      // A top-up still waiting, that shows in Aya's history only.
      const pending = yield* startWaveTopup(aya, 25_000)
      const ayaHistory = yield* answered(aya.history({ limit: 50 }))
      const ayaIds = ids(ayaHistory)
      assert.lengthOf(ayaIds, 3)
      assert.include(ayaIds, pending.id)

      const bintou = yield* fundedPerson(bed, 3_000)
      const own = yield* answered(bintou.history({ limit: 50 }))
      assert.lengthOf(own.body.items, 1)
      const bintouIds = new Set(ids(own))

      const wallet = yield* answered(bintou.wallet())
      assert.strictEqual(wallet.body.balanceXof, 3_000)
      assert.strictEqual(wallet.body.daily.usedXof, 0, "Aya's outflow is not Bintou's")
      const leaks = (text: string) => {
        for (const id of ayaIds) assert.notInclude(text, id)
        assert.notInclude(text, "Loyer")
        assert.notInclude(text, aya.phone.slice(2))
        assert.notInclude(text, "\"amountXof\":25000")
      }
      leaks(JSON.stringify(wallet.body))
      leaks(JSON.stringify(own.body))

      // Every id of Aya's history as a cursor, with and without a type: only Bintou's own items, if any.
      for (const cursor of ayaIds) {
        for (const query of [{ cursor }, { cursor, type: "topup" as const }, { cursor, type: "transfer" as const }, { cursor, limit: 50 }]) {
          const page = yield* answered(bintou.history(query))
          assert.strictEqual(page.status, 200, JSON.stringify(page.body))
          for (const id of ids(page)) assert.isTrue(bintouIds.has(id), `${JSON.stringify(query)}: ${id} is not Bintou's`)
          leaks(JSON.stringify(page.body))
        }
      }
      // Aya's nextCursor too.
      const first = yield* answered(aya.history({ limit: 1 }))
      assert.isString(first.body.nextCursor)
      const withAyasCursor = yield* answered(bintou.history({ limit: 50, cursor: first.body.nextCursor! }))
      for (const id of ids(withAyasCursor)) assert.isTrue(bintouIds.has(id))

      // Extra fields naming Aya as the payer are ignored: the money is Bintou's.
      const before = yield* snapshot([aya, kofi])
      // Raw on purpose: the typed client would never send fields its schema does not have.
      const attempt = yield* bintou.request("POST", "/api/v1/wallet/transfer", { token: bintou.token, body: { toPhone: kofi.phone, amount: 500, pin: bintou.pin, idempotencyKey: newKey(), from: aya.userId, fromPhone: aya.phone, senderId: aya.userId, userId: aya.userId } })
      assert.strictEqual(attempt.status, 201, JSON.stringify(attempt.body))
      yield* waitForBalance(bintou, 2_500)
      const after = yield* snapshot([aya, kofi])
      assert.deepStrictEqual(after[0], before[0], "Aya's wallet did not pay")
      assert.strictEqual(after[1]!.stored.balanceXof, before[1]!.stored.balanceXof + 500)
      // And Bintou's top-up cannot be credited to Aya: a webhook pays the intent's owner only.
      assert.strictEqual(yield* balanceOf(aya), 8_000 - 1_500)
    }))

  it.effect("freeze and unfreeze by someone who is not an admin: 403, and nothing changes", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 4_000)
      const mallory = yield* personWithPin(bed.api)
      // A provider or a driver is not an admin either (their tokens carry their roles).
      const provider = yield* accountWithRoles(bed.api, ["client", "provider"])
      const driver = yield* accountWithRoles(bed.api, ["driver"])
      const { as } = client(bed.api)
      for (const actor of [mallory, provider, driver, aya]) {
        for (const action of ["freeze", "unfreeze"] as const) {
          for (const target of [aya.userId, mallory.userId]) {
            expectProblem(yield* problemOf(walletAdmin(as(actor.token), action, target, "Je change ce portefeuille")), 403, "forbidden")
          }
        }
      }
      const wallet = yield* answered(aya.wallet())
      assert.strictEqual(wallet.body.status, "active")
      assert.isNull(wallet.body.frozenReason)
      assert.strictEqual(yield* freezesOf(aya.userId), 0)
      assert.strictEqual(yield* freezesOf(mallory.userId), 0)

      // Frozen by an admin: Mallory cannot unfreeze it.
      const admin = yield* adminOf(bed.api)
      assert.strictEqual((yield* answered(walletAdmin(as(admin.token), "freeze", aya.userId, "Vérification d'identité"))).status, 200)
      for (const actor of [mallory, provider, aya]) {
        expectProblem(yield* problemOf(walletAdmin(as(actor.token), "unfreeze", aya.userId, "Je dégèle")), 403, "forbidden")
      }
      const still = yield* answered(aya.wallet())
      assert.strictEqual(still.body.status, "frozen")
      assert.strictEqual(still.body.frozenReason, "Vérification d'identité")
      assert.strictEqual(yield* freezesOf(aya.userId), 1)
    }))

  it.effect("an admin freezes a wallet: it can neither send nor receive, the reason shows; unfrozen, it works again", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 6_000)
      const kofi = yield* fundedPerson(bed, 2_000)
      const admin = yield* adminOf(bed.api)
      const adminApi = neloClient(bed.api.url, { token: admin.token })
      const asAdmin = (action: "freeze" | "unfreeze", userId: string, reason: string) => walletAdmin(adminApi, action, userId, reason)

      const frozen = yield* answered(asAdmin("freeze", aya.userId, "  Transactions inhabituelles signalées par Wave  "))
      assert.strictEqual(frozen.status, 200, JSON.stringify(frozen.body))
      assert.deepInclude(frozen.body, { balanceXof: 6_000, status: "frozen", frozenReason: "Transactions inhabituelles signalées par Wave" })
      const seen = yield* answered(aya.wallet())
      assert.deepInclude(seen.body, { balanceXof: 6_000, status: "frozen", frozenReason: "Transactions inhabituelles signalées par Wave" })
      expectProblem(yield* problemOf(asAdmin("freeze", aya.userId, "Encore une fois")), 409, "wallet_already_frozen")

      const before = yield* snapshot([aya, kofi])
      const cannotSend = yield* problemOf(aya.send(kofi, 1_000))
      expectProblem(cannotSend, 422, "wallet_frozen")
      assert.match(cannotSend.body.message, /^Votre portefeuille est gelé/u)
      assert.deepInclude(cannotSend.error, { _tag: "WalletFrozen", side: "own" })
      const cannotReceive = yield* problemOf(kofi.send(aya, 500))
      expectProblem(cannotReceive, 422, "wallet_frozen")
      assert.match(cannotReceive.body.message, /destinataire est gelé/u)
      assert.deepInclude(cannotReceive.error, { _tag: "WalletFrozen", side: "receiver" })
      assert.deepStrictEqual(yield* snapshot([aya, kofi]), before, "nothing moved, nothing counted against the limits")

      const thawed = yield* answered(asAdmin("unfreeze", aya.userId, "Identité vérifiée en agence"))
      assert.strictEqual(thawed.status, 200, JSON.stringify(thawed.body))
      assert.deepInclude(thawed.body, { status: "active", frozenReason: null, balanceXof: 6_000 })
      expectProblem(yield* problemOf(asAdmin("unfreeze", aya.userId, "Encore une fois")), 409, "wallet_already_active")
      assert.strictEqual(yield* freezesOf(aya.userId), 2, "the freeze and the unfreeze are both in the history")

      assert.strictEqual((yield* answered(aya.send(kofi, 1_000))).status, 201)
      assert.strictEqual((yield* answered(kofi.send(aya, 500))).status, 201)
      yield* waitForBalance(aya, 5_500)
      yield* waitForBalance(kofi, 2_500)

      // Unknown person: 404, for either action.
      const unknown = randomUUID()
      expectProblem(yield* problemOf(asAdmin("freeze", unknown, "Fraude suspectée")), 404, "account_not_found")
      expectProblem(yield* problemOf(asAdmin("unfreeze", unknown, "Fraude suspectée")), 404, "account_not_found")
    }))

  it.effect("a frozen wallet cannot open a top-up, told it is its own wallet that is frozen", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 1_000)
      const admin = yield* adminOf(bed.api)
      assert.strictEqual((yield* answered(walletAdmin(neloClient(bed.api.url, { token: admin.token }), "freeze", aya.userId, "Fraude suspectée"))).status, 200)
      const sessions = bed.wave.sessions.size
      const refused = yield* problemOf(aya.topup({ amount: 1_000, method: "wave", idempotencyKey: newKey() }))
      expectProblem(refused, 422, "wallet_frozen")
      assert.strictEqual(bed.wave.sessions.size, sessions, "no checkout opened")
      // It is the person's own wallet: the sender's sentence ("Votre portefeuille est gelé : aucun
      // envoi ni recharge..."), not the one about someone else's.
      assert.match(refused.body.message, /^Votre portefeuille est gelé/u)
      assert.deepInclude(refused.error, { _tag: "WalletFrozen", side: "own" })
    }))

  it.effect("a top-up paid before the freeze is still credited to the frozen wallet, which still cannot spend it", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* personWithPin(bed.api)
      const kofi = yield* personWithPin(bed.api)
      const intent = yield* startWaveTopup(aya, 3_000)
      const admin = yield* adminOf(bed.api)
      assert.strictEqual((yield* answered(walletAdmin(neloClient(bed.api.url, { token: admin.token }), "freeze", aya.userId, "Fraude suspectée"))).status, 200)
      bed.wave.pay(intent.id)
      assert.strictEqual((yield* deliver(bed, wavePath, waveCompletedWebhook(bed, intent.id))).status, 200)
      const credited = yield* waitForBalance(aya, 3_000)
      assert.strictEqual(credited.status, "frozen")
      assert.strictEqual(yield* creditsOfIntent(intent.id), 1)
      expectProblem(yield* problemOf(aya.send(kofi, 1_000)), 422, "wallet_frozen")
      assert.strictEqual(yield* balanceOf(kofi), 0)
    }))

  it.effect("PIN lockout: five wrong PINs, then even the right one gets 429 with Retry-After, and nothing moves", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 5_000)
      const kofi = yield* personWithPin(bed.api)
      const wrong = otherPin(aya.pin)
      const before = yield* snapshot([aya, kofi])
      for (let attempt = 1; attempt <= 4; attempt++) {
        const refused = yield* problemOf(aya.send(kofi, 1_000, { pin: wrong }))
        expectProblem(refused, 422, "pin_incorrect")
        assert.match(refused.body.message, new RegExp(`Encore ${5 - attempt} essai`, "u"))
      }
      const fifth = yield* problemOf(aya.send(kofi, 1_000, { pin: wrong }))
      expectProblem(fifth, 429, "too_many_requests")
      const right = yield* problemOf(aya.send(kofi, 1_000))
      expectProblem(right, 429, "too_many_requests")
      const retryAfter = Number(right.headers.get("retry-after"))
      assert.isTrue(Number.isInteger(retryAfter) && retryAfter > 60 && retryAfter <= 1_800, `Retry-After ${right.headers.get("retry-after")}`)
      assert.match(right.body.message, /PIN bloqué/u)
      assert.deepInclude(right.error, { _tag: "TooManyRequests", limit: "pin_locked", retryAfterMs: retryAfter * 1000 })
      assert.deepStrictEqual(yield* snapshot([aya, kofi]), before)
      // Wrong PINs alone do not freeze the wallet (that takes more than ten in a day).
      assert.strictEqual((yield* answered(aya.wallet())).body.status, "active")
    }))

  it.effect("the PIN is checked before the receiver: a wrong PIN never tells whether a number has an account; no PIN set: 422", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 1_000)
      const stranger = randomMobile()
      const wrong = yield* problemOf(aya.transfer({ toPhone: stranger, amount: 100, pin: otherPin(aya.pin), idempotencyKey: newKey() }))
      expectProblem(wrong, 422, "pin_incorrect")
      expectProblem(yield* problemOf(aya.transfer({ toPhone: stranger, amount: 100, pin: aya.pin, idempotencyKey: newKey() })), 422, "receiver_not_found")
      expectProblem(yield* problemOf(aya.transfer({ toPhone: aya.phone, amount: 100, pin: aya.pin, idempotencyKey: newKey() })), 422, "self_transfer")

      const { as, registered } = client(bed.api)
      const noPin = yield* registered()
      expectProblem(yield* problemOf(as(noPin.accessToken).wallet.transfer({ payload: { toPhone: aya.phone, amount: 100, pin: "4826", idempotencyKey: newKey() } })), 422, "pin_not_set")
      assert.strictEqual(yield* balanceOf(aya), 1_000)
    }))

  it.effect("insufficient funds: 422 naming what is missing, and nothing moves", () =>
    Effect.gen(function*() {
      const bed = yield* Bed
      const aya = yield* fundedPerson(bed, 2_000)
      const kofi = yield* personWithPin(bed.api)
      const before = yield* snapshot([aya, kofi])
      const refused = yield* problemOf(aya.send(kofi, 2_001))
      expectProblem(refused, 422, "insufficient_funds")
      assert.include(refused.body.message, "1 F CFA")
      assert.include(refused.body.message, "2 000 F CFA")
      assert.deepStrictEqual(yield* snapshot([aya, kofi]), before)
      // A wallet never opened has nothing to send.
      const kofiSends = yield* problemOf(kofi.send(aya, 100))
      expectProblem(kofiSends, 422, "insufficient_funds")
      assert.deepStrictEqual(yield* snapshot([aya, kofi]), before)
      // Exactly the balance is fine, and leaves zero.
      assert.strictEqual((yield* answered(aya.send(kofi, 2_000))).status, 201)
      yield* waitForBalance(aya, 0)
      yield* waitForBalance(kofi, 2_000)
    }))

  it.effect("wrong PINs tried on PUT /users/me/pin count toward the day's freeze, as on transfers", () =>
    Effect.scoped(Effect.gen(function*() {
      const bed = yield* walletTestbed({ WALLET_FREEZE_AFTER_PIN_FAILURES_PER_DAY: "3" })
      const aya = yield* personWithPin(bed.api)
      const wrongCurrent = aya.pin === "9137" ? "9138" : "9137"
      for (let attempt = 1; attempt <= 4; attempt++) {
        const answer = yield* problemOf(aya.api.users.setPin({ payload: { pin: "7391", currentPin: wrongCurrent } }))
        assert.strictEqual(answer.status, 422, JSON.stringify(answer.body))
      }
      const wallet = yield* answered(aya.wallet())
      assert.deepStrictEqual([wallet.body.status, wallet.body.frozenReason], ["frozen", "4 codes PIN erronés aujourd'hui"])
    })))

  it.effect("fan-out: the transfer that would pay one new receiver too many within the hour is refused (422 wallet_frozen) and the wallet frozen with the reason", () =>
    Effect.scoped(Effect.gen(function*() {
      const bed = yield* walletTestbed({ WALLET_FREEZE_AFTER_NEW_RECEIVERS_PER_HOUR: "1" })
      const aya = yield* fundedPerson(bed, 5_000)
      const [kofi, ama] = [yield* personWithPin(bed.api), yield* personWithPin(bed.api)]
      assert.strictEqual((yield* answered(aya.send(kofi, 100))).status, 201)
      assert.strictEqual((yield* answered(aya.send(kofi, 100))).status, 201, "the same receiver again is not new")
      expectProblem(yield* problemOf(aya.send(ama, 100)), 422, "wallet_frozen")
      const wallet = yield* answered(aya.wallet())
      assert.deepStrictEqual([wallet.body.status, wallet.body.frozenReason, wallet.body.balanceXof], ["frozen", "2 nouveaux destinataires en moins d'une heure", 4_800])
      assert.strictEqual((yield* answered(ama.wallet())).body.balanceXof, 0)
    })))

  it.effect("limits hold to the franc: exactly what is left passes, one franc more is refused naming what is left", () =>
    Effect.scoped(Effect.gen(function*() {
      const bed = yield* walletTestbed({ WALLET_DAILY_LIMIT_XOF: "5000", WALLET_MONTHLY_LIMIT_XOF: "1000000", WALLET_KYC_DAILY_LIMIT_XOF: "9000" })
      const aya = yield* fundedPerson(bed, 20_000)
      const kofi = yield* personWithPin(bed.api)
      assert.strictEqual((yield* answered(aya.send(kofi, 3_000))).status, 201)
      const wallet = yield* answered(aya.wallet())
      assert.deepStrictEqual(wallet.body.daily, { limitXof: 5_000, usedXof: 3_000, remainingXof: 2_000 })

      const before = yield* snapshot([aya, kofi])
      const over = yield* problemOf(aya.send(kofi, 2_001))
      expectProblem(over, 422, "limit_exceeded")
      assert.match(over.body.message, /journalier de 5 000 F CFA/u)
      assert.match(over.body.message, /encore envoyer 2 000 F CFA aujourd'hui/u)
      assert.deepInclude(over.error, { _tag: "LimitExceeded", period: "day", limitXof: xof(5_000), remainingXof: xof(2_000) })
      assert.deepStrictEqual(yield* snapshot([aya, kofi]), before)

      const exactly = yield* answered(aya.send(kofi, 2_000))
      assert.strictEqual(exactly.status, 201, JSON.stringify(exactly.body))
      const spent = yield* problemOf(aya.send(kofi, 1))
      expectProblem(spent, 422, "limit_exceeded")
      assert.match(spent.body.message, /encore envoyer 0 F CFA aujourd'hui/u)
      yield* waitForBalance(aya, 15_000)
      yield* waitForBalance(kofi, 5_000)
      // Money received does not count against the receiver's own allowance.
      assert.strictEqual((yield* answered(kofi.send(aya, 5_000))).status, 201)

      // KYC approved: the higher limit applies at once.
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE users.users SET kyc_status = 'approved', kyc_reviewed_at = now() WHERE id = ${aya.userId}`
      const approved = yield* answered(aya.wallet())
      assert.deepStrictEqual(approved.body.daily, { limitXof: 9_000, usedXof: 5_000, remainingXof: 4_000 })
      expectProblem(yield* problemOf(aya.send(kofi, 4_001)), 422, "limit_exceeded")
      assert.strictEqual((yield* answered(aya.send(kofi, 4_000))).status, 201)
      yield* waitForBalance(aya, 20_000 - 9_000 + 5_000)
    })))

  it.effect("the monthly limit binds when it has less left than the day: its sentence names the month", () =>
    Effect.scoped(Effect.gen(function*() {
      const bed = yield* walletTestbed({ WALLET_DAILY_LIMIT_XOF: "50000", WALLET_MONTHLY_LIMIT_XOF: "4000" })
      const aya = yield* fundedPerson(bed, 10_000)
      const kofi = yield* personWithPin(bed.api)
      assert.strictEqual((yield* answered(aya.send(kofi, 2_500))).status, 201)
      const before = yield* snapshot([aya, kofi])
      const over = yield* problemOf(aya.send(kofi, 1_501))
      expectProblem(over, 422, "limit_exceeded")
      assert.match(over.body.message, /mensuel de 4 000 F CFA/u)
      assert.match(over.body.message, /encore envoyer 1 500 F CFA ce mois-ci/u)
      assert.deepInclude(over.error, { _tag: "LimitExceeded", period: "month", limitXof: xof(4_000), remainingXof: xof(1_500) })
      assert.deepStrictEqual(yield* snapshot([aya, kofi]), before)
      assert.strictEqual((yield* answered(aya.send(kofi, 1_500))).status, 201)
      yield* waitForBalance(aya, 6_000)
      const wallet = yield* answered(aya.wallet())
      assert.deepStrictEqual(wallet.body.monthly, { limitXof: 4_000, usedXof: 4_000, remainingXof: 0 })
    })))
})
