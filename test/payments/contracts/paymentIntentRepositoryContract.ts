import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import type { PaymentIntent } from "@nelo/domain/payments/PaymentIntent"
import { PaymentIntentRepository, type StoredWebhookEvent } from "@nelo/domain/payments/PaymentIntentRepository"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { makeTransaction, nextId } from "../../wallet/contracts/ledgerContract.ts"
import { makeNewUser } from "../../users/contracts/userRepositoryContract.ts"
import { xof } from "@nelo/domain/shared/Xof"

const makeIntent = (userId: string, overrides: Partial<PaymentIntent> = {}): PaymentIntent => {
  const id = overrides.id ?? nextId()
  const now = new Date()
  return {
    id,
    userId,
    orderId: null,
    gateway: "wave",
    amountXof: xof(5_000),
    currency: "XOF",
    status: "pending",
    idempotencyKey: `topup-${id}`,
    gatewayReference: null,
    paymentUrl: null,
    ledgerTransactionId: null,
    failureReason: null,
    createdAt: now,
    updatedAt: now,
    ...overrides
  }
}

const newUserId = UserRepository.use((users) => Effect.map(users.create(makeNewUser()), (user): string => user.id))

/** A top-up credited in the ledger: what a succeeded intent names. */
const creditOf = (intent: PaymentIntent) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const [clearing, wallet] = yield* Effect.all([ledger.clearingOf(intent.gateway), ledger.walletOf(intent.userId)])
    const posted = yield* ledger.post({
      transaction: makeTransaction("topup", [{ accountId: clearing.id, amountXof: xof(-intent.amountXof) }, { accountId: wallet.id, amountXof: intent.amountXof }], {
        idempotencyKey: `topup:${intent.id}`
      })
    })
    return posted.transaction.id
  })

const makeWebhook = (overrides: Partial<StoredWebhookEvent> = {}): StoredWebhookEvent => ({
  gateway: "wave",
  eventId: `AE_${nextId()}`,
  type: "checkout.session.completed",
  intentId: null,
  payload: { type: "checkout.session.completed", data: { clientReference: "x", amount: "5000", currency: "XOF", payerName: "Kouassi Aké" } },
  receivedAt: new Date(),
  ...overrides
})

/** One suite, run against every PaymentIntentRepository adapter (with the users and ledger its rows name). */
export const paymentIntentRepositoryContract = (name: string, repositoryLayer: Layer.Layer<PaymentIntentRepository | UserRepository | Ledger, unknown>) =>
  layer(repositoryLayer, { excludeTestServices: true })(`PaymentIntentRepository contract: ${name}`, (it) => {
    it.effect("create opens one intent per user and key; the same key returns the first, not created, whatever its content", () =>
      Effect.gen(function*() {
        const intents = yield* PaymentIntentRepository
        const userId = yield* newUserId
        const first = makeIntent(userId)
        assert.deepStrictEqual(yield* intents.create(first), { intent: first, created: true })
        const again = makeIntent(userId, { idempotencyKey: first.idempotencyKey, amountXof: xof(10_000), gateway: "cinetpay" })
        assert.deepStrictEqual(yield* intents.create(again), { intent: first, created: false })
        assert.isTrue(Option.isNone(yield* intents.find(again.id)))
        // The key is the user's own: another user's same key is another intent.
        const other = makeIntent(yield* newUserId, { idempotencyKey: first.idempotencyKey })
        assert.isTrue((yield* intents.create(other)).created)
        assert.deepStrictEqual(yield* intents.find(first.id), Option.some(first))
        assert.isTrue(Option.isNone(yield* intents.find("not-a-uuid")))
        assert.isTrue(Option.isNone(yield* intents.find(nextId())))
      }))

    it.effect("concurrent identical creates open exactly one intent", () =>
      Effect.gen(function*() {
        const intents = yield* PaymentIntentRepository
        const userId = yield* newUserId
        const key = `double-tap-${nextId()}`
        const results = yield* Effect.forEach(Array.from({ length: 20 }), () => intents.create(makeIntent(userId, { idempotencyKey: key })), { concurrency: "unbounded" })
        assert.strictEqual(results.filter((result) => result.created).length, 1)
        assert.strictEqual(new Set(results.map((result) => result.intent.id)).size, 1)
        // The very same request (same id too) sent 20 times at once.
        const same = makeIntent(userId)
        const repeated = yield* Effect.forEach(Array.from({ length: 20 }), () => intents.create(same), { concurrency: "unbounded" })
        assert.strictEqual(repeated.filter((result) => result.created).length, 1)
        assert.isTrue(repeated.every((result) => result.intent.id === same.id))
      }))

    it.effect("attachCheckout records the checkout opened, at the gateway that opened it", () =>
      Effect.gen(function*() {
        const intents = yield* PaymentIntentRepository
        const intent = makeIntent(yield* newUserId)
        yield* intents.create(intent)
        const at = new Date(intent.createdAt.getTime() + 1_000)
        yield* intents.attachCheckout(intent.id, { gateway: "cinetpay", gatewayReference: "CP-123", paymentUrl: "https://checkout.cinetpay.com/p/abc" }, at)
        assert.deepStrictEqual(yield* intents.find(intent.id), Option.some({
          ...intent,
          gateway: "cinetpay" as const,
          gatewayReference: "CP-123",
          paymentUrl: "https://checkout.cinetpay.com/p/abc",
          updatedAt: at
        }))
        assert.isTrue(Option.isNone(yield* intents.attachCheckout("not-a-uuid", { gateway: "wave", gatewayReference: "x", paymentUrl: "https://x" }, at)))
      }))

    it.effect("expiredWithCheckout lists expired intents that had a checkout, created after the date, least recently checked first", () =>
      Effect.gen(function*() {
        const intents = yield* PaymentIntentRepository
        const userId = yield* newUserId
        // In the year 2001: no other test's intent is that old.
        const at = (day: number) => new Date(Date.UTC(2001, 0, day))
        const [withCheckout, without, tooOld, stillPending] = [at(5), at(6), at(1), at(7)].map((createdAt) => makeIntent(userId, { createdAt }))
        for (const intent of [withCheckout!, without!, tooOld!, stillPending!]) yield* intents.create(intent)
        for (const intent of [withCheckout!, tooOld!, stillPending!]) yield* intents.attachCheckout(intent.id, { gateway: "wave", gatewayReference: `cos-${intent.id}`, paymentUrl: "https://pay.wave.com/c/x" }, at(8))
        for (const intent of [withCheckout!, without!, tooOld!]) yield* intents.settle(intent.id, ["pending"], { status: "expired", ledgerTransactionId: null, failureReason: null }, at(9))
        const listed = (yield* intents.expiredWithCheckout(at(3), at(20), 10)).map((intent) => intent.id).filter((id) => [withCheckout!.id, without!.id, tooOld!.id, stillPending!.id].includes(id))
        assert.deepStrictEqual(listed, [withCheckout!.id])
        yield* intents.markChecked(withCheckout!.id, at(10))
        assert.isFalse((yield* intents.expiredWithCheckout(at(3), at(10), 10)).some((intent) => intent.id === withCheckout!.id))
        assert.isTrue((yield* intents.expiredWithCheckout(at(3), at(11), 10)).some((intent) => intent.id === withCheckout!.id))
      }))

    it.effect("attachCheckout keeps the first checkout: of several racing, every one answers the winner's", () =>
      Effect.gen(function*() {
        const intents = yield* PaymentIntentRepository
        const intent = makeIntent(yield* newUserId)
        yield* intents.create(intent)
        const at = new Date(intent.createdAt.getTime() + 1_000)
        const answers = yield* Effect.all(Array.from({ length: 10 }, (_, index) =>
          intents.attachCheckout(intent.id, { gateway: index % 2 === 0 ? "wave" : "cinetpay", gatewayReference: `ref-${index}`, paymentUrl: `https://pay.example/${index}` }, at)), { concurrency: "unbounded" })
        const stored = Option.getOrThrow(yield* intents.find(intent.id))
        assert.isNotNull(stored.paymentUrl)
        for (const answer of answers) {
          const seen = Option.getOrThrow(answer)
          assert.deepStrictEqual([seen.gateway, seen.gatewayReference, seen.paymentUrl], [stored.gateway, stored.gatewayReference, stored.paymentUrl])
        }
      }))

    it.effect("settle moves an intent only from the statuses named: racing settlements settle once, a late payment still succeeds", () =>
      Effect.gen(function*() {
        const intents = yield* PaymentIntentRepository
        const intent = makeIntent(yield* newUserId)
        yield* intents.create(intent)
        const failedAt = new Date(intent.createdAt.getTime() + 1_000)
        assert.isTrue(yield* intents.settle(intent.id, ["pending"], { status: "failed", ledgerTransactionId: null, failureReason: "annulé" }, failedAt))
        assert.isFalse(yield* intents.settle(intent.id, ["pending"], { status: "expired", ledgerTransactionId: null, failureReason: "expiré" }, new Date()))
        assert.deepStrictEqual(yield* intents.find(intent.id), Option.some({ ...intent, status: "failed" as const, failureReason: "annulé", updatedAt: failedAt }))

        const credit = yield* creditOf(intent)
        const paidAt = new Date(intent.createdAt.getTime() + 2_000)
        assert.isTrue(yield* intents.settle(intent.id, ["pending", "expired", "failed"], { status: "succeeded", ledgerTransactionId: credit, failureReason: null }, paidAt))
        assert.deepStrictEqual(yield* intents.find(intent.id), Option.some({ ...intent, status: "succeeded" as const, ledgerTransactionId: credit, updatedAt: paidAt }))
        assert.isFalse(yield* intents.settle(intent.id, ["pending", "expired", "failed"], { status: "mismatch", ledgerTransactionId: null, failureReason: "x" }, new Date()))

        const raced = makeIntent(intent.userId)
        yield* intents.create(raced)
        const outcomes = yield* Effect.forEach(Array.from({ length: 10 }), (_, index) =>
          intents.settle(raced.id, ["pending"], { status: index % 2 === 0 ? "failed" : "expired", ledgerTransactionId: null, failureReason: `attempt ${index}` }, new Date()), { concurrency: "unbounded" })
        assert.strictEqual(outcomes.filter(Boolean).length, 1)
        assert.isFalse(yield* intents.settle("not-a-uuid", ["pending"], { status: "failed", ledgerTransactionId: null, failureReason: null }, new Date()))
        assert.isFalse(yield* intents.settle(nextId(), ["pending"], { status: "failed", ledgerTransactionId: null, failureReason: null }, new Date()))
      }))

    it.effect("pendingBefore lists pending intents created before the date, oldest first, at most the limit", () =>
      Effect.gen(function*() {
        const intents = yield* PaymentIntentRepository
        const userId = yield* newUserId
        // In the year 2000: no other test's intent is that old.
        const at = (day: number) => new Date(Date.UTC(2000, 0, day))
        const [older, old, settled, recent] = [makeIntent(userId, { createdAt: at(2) }), makeIntent(userId, { createdAt: at(3) }), makeIntent(userId, { createdAt: at(1) }), makeIntent(userId, { createdAt: at(20) })]
        for (const intent of [recent, old, settled, older]) yield* intents.create(intent)
        yield* intents.settle(settled.id, ["pending"], { status: "expired", ledgerTransactionId: null, failureReason: null }, at(4))
        assert.deepStrictEqual((yield* intents.pendingBefore(at(10), at(10), 10)).map((intent) => intent.id), [older.id, old.id])
        assert.deepStrictEqual((yield* intents.pendingBefore(at(10), at(10), 1)).map((intent) => intent.id), [older.id])
        assert.deepStrictEqual(yield* intents.pendingBefore(at(2), at(10), 10), [])
        // Once checked, the older one waits its turn: the other comes first, then it is left out
        // until its check is older than `checkedBefore`.
        yield* intents.markChecked(older.id, at(9))
        assert.deepStrictEqual((yield* intents.pendingBefore(at(10), at(10), 10)).map((intent) => intent.id), [old.id, older.id])
        assert.deepStrictEqual((yield* intents.pendingBefore(at(10), at(9), 10)).map((intent) => intent.id), [old.id])
      }))

    it.effect("unsettledOf lists a user's intents not credited, newest first, older than the cursor", () =>
      Effect.gen(function*() {
        const intents = yield* PaymentIntentRepository
        const userId = yield* newUserId
        const [pending, failed, succeeded, expired] = [makeIntent(userId), makeIntent(userId), makeIntent(userId), makeIntent(userId)]
        for (const intent of [expired, pending, succeeded, failed]) yield* intents.create(intent)
        yield* intents.create(makeIntent(yield* newUserId)) // someone else's
        yield* intents.settle(failed.id, ["pending"], { status: "failed", ledgerTransactionId: null, failureReason: null }, new Date())
        yield* intents.settle(expired.id, ["pending"], { status: "expired", ledgerTransactionId: null, failureReason: null }, new Date())
        yield* intents.settle(succeeded.id, ["pending"], { status: "succeeded", ledgerTransactionId: yield* creditOf(succeeded), failureReason: null }, new Date())
        const ids = (beforeId: string | null, limit: number) => Effect.map(intents.unsettledOf(userId, beforeId, limit), (found) => found.map((intent) => intent.id))
        assert.deepStrictEqual(yield* ids(null, 10), [expired.id, failed.id, pending.id])
        assert.deepStrictEqual(yield* ids(expired.id, 10), [failed.id, pending.id])
        assert.deepStrictEqual(yield* ids(null, 2), [expired.id, failed.id])
        assert.deepStrictEqual(yield* ids(pending.id, 10), [])
        assert.deepStrictEqual(yield* ids("not-a-uuid", 10), [])
        assert.deepStrictEqual(yield* intents.unsettledOf("not-a-uuid", null, 10), [])
      }))

    it.effect("recordWebhook keeps one event per gateway and event id, even under 100 concurrent identical calls", () =>
      Effect.gen(function*() {
        const intents = yield* PaymentIntentRepository
        const event = makeWebhook()
        const fresh = yield* Effect.forEach(Array.from({ length: 100 }), () => intents.recordWebhook(event), { concurrency: "unbounded" })
        assert.strictEqual(fresh.filter(Boolean).length, 1)
        assert.isFalse(yield* intents.recordWebhook({ ...event, type: "another", payload: {} }))
        // Event ids are the gateway's own: the same id from the other gateway is another event.
        assert.isTrue(yield* intents.recordWebhook({ ...event, gateway: "cinetpay" }))
      }))

    it.effect("unprocessedWebhooks lists stored events not yet processed, oldest first, exactly as received", () =>
      Effect.gen(function*() {
        const intents = yield* PaymentIntentRepository
        const at = (minute: number) => new Date(Date.UTC(2000, 5, 1, 12, minute))
        const intentId = nextId()
        const first = makeWebhook({ receivedAt: at(1), intentId })
        const second = makeWebhook({ receivedAt: at(2), gateway: "cinetpay", intentId: "not-ours-CP-778", payload: ["liste", 3, null, { "clé": "valeur" }] })
        const third = makeWebhook({ receivedAt: at(3) })
        const later = makeWebhook({ receivedAt: at(30) })
        for (const event of [later, third, first, second]) yield* intents.recordWebhook(event)
        assert.deepStrictEqual(yield* intents.unprocessedWebhooks(at(10), 10), [first, second, third])
        yield* intents.markWebhookProcessed(second.gateway, second.eventId, at(5))
        yield* intents.markWebhookProcessed("wave", "never-received", at(5))
        assert.deepStrictEqual(yield* intents.unprocessedWebhooks(at(10), 10), [first, third])
        assert.deepStrictEqual(yield* intents.unprocessedWebhooks(at(10), 1), [first])
        assert.deepStrictEqual(yield* intents.unprocessedWebhooks(at(1), 10), [])
      }))
  })
