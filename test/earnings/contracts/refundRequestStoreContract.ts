import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { type RefundRequest, RefundRequestStore } from "@nelo/domain/earnings/RefundRequestStore"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { xof } from "@nelo/domain/shared/Xof"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { makeTransaction, nextId } from "../../wallet/contracts/ledgerContract.ts"

/** A refund's ledger transaction (the request names it: Postgres checks it exists) and its request. */
const written = (key: string) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const transaction = makeTransaction("refund", [
      { accountId: (yield* ledger.platformRevenue).id, amountXof: xof(-700) },
      { accountId: (yield* ledger.walletOf(nextId())).id, amountXof: xof(700) }
    ])
    yield* ledger.post({ transaction })
    return {
      idempotencyKey: key,
      adminId: nextId(),
      reason: "Boisson tiède",
      refunded: {
        transactionId: transaction.id,
        orderId: nextId(),
        reference: "ORD-7K3M9QXA",
        amountXof: xof(700),
        responsible: "provider",
        to: "wallet",
        chargedTo: "escrow",
        refundedXof: xof(700),
        refundableXof: xof(3_800),
        createdAt: new Date(Date.UTC(2026, 11, 7, 10, 30))
      }
    } satisfies RefundRequest
  })

/** RefundRequestStore's behaviour, run against each adapter (memory, Postgres). */
export const refundRequestStoreContract = (name: string, store: Layer.Layer<RefundRequestStore | Ledger | Transactional, unknown>) =>
  layer(store)(`RefundRequestStore contract: ${name}`, (it) => {
    it.effect("a request recorded reads back whole under its key; another key finds nothing", () =>
      Effect.gen(function*() {
        const requests = yield* RefundRequestStore
        const request = yield* written(`refund-${nextId()}`)
        yield* requests.record(request)
        assert.deepStrictEqual(Option.getOrThrow(yield* requests.find(request.idempotencyKey)), request)
        assert.isTrue(Option.isNone(yield* requests.find(`refund-${nextId()}`)))
      }))

    it.effect("a key recorded twice fails, the first kept; a record in a failed transaction is gone", () =>
      Effect.gen(function*() {
        const requests = yield* RefundRequestStore
        const first = yield* written(`refund-${nextId()}`)
        yield* requests.record(first)
        const second = yield* written(first.idempotencyKey)
        assert.strictEqual((yield* Effect.flip(requests.record({ ...second, reason: "Autre" })))._tag, "EarningsUnavailable")
        assert.strictEqual(Option.getOrThrow(yield* requests.find(first.idempotencyKey)).reason, "Boisson tiède")

        const rolledBack = yield* written(`refund-${nextId()}`)
        const failed = yield* Effect.flip((yield* Transactional).run(Effect.andThen(requests.record(rolledBack), Effect.fail("later step failed" as const))))
        assert.strictEqual(failed, "later step failed")
        assert.isTrue(Option.isNone(yield* requests.find(rolledBack.idempotencyKey)))
      }))
  })
