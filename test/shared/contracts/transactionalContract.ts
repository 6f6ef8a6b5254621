import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import { Transactional } from "@nelo/domain/shared/Transactional"
import type { Account } from "@nelo/domain/wallet/Account"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { makeTransaction, nextId } from "../../wallet/contracts/ledgerContract.ts"
import { makeEvent } from "../../events/contracts/outboxStoreContract.ts"
import { xof } from "@nelo/domain/shared/Xof"

class Boom {
  readonly _tag = "Boom"
}

/** A top-up of a fresh wallet and one event about it: two ports written in one unit of work. */
const topUpWithEvent = (amountXof: number) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const wallet = yield* ledger.walletOf(nextId())
    const clearing = yield* ledger.clearingOf("wave")
    const transaction = makeTransaction("topup", [{ accountId: clearing.id, amountXof: xof(-amountXof) }, { accountId: wallet.id, amountXof: xof(amountXof) }])
    const event = makeEvent(wallet.id)
    const write = Effect.andThen(ledger.post<never>({ transaction }), (yield* OutboxStore).append([event]))
    return { wallet, transaction, event, write }
  })

const pendingEventIds = Effect.gen(function*() {
  const ids = yield* (yield* OutboxStore).withClaim(100_000, (batch) => Effect.succeed(batch.events.map((event) => event.id)))
  return new Set(ids ?? [])
})

const written = (wallet: Account, transactionId: string) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    return {
      transaction: Option.isSome(yield* ledger.findTransaction(transactionId)),
      balanceXof: (yield* ledger.stateOf(wallet.id)).balanceXof
    }
  })

/** One suite, run against every Transactional adapter, with the ledger and outbox it spans. */
export const transactionalContract = (name: string, storeLayer: Layer.Layer<Transactional | Ledger | OutboxStore, unknown>) =>
  layer(storeLayer, { excludeTestServices: true })(`Transactional contract: ${name}`, (it) => {
    it.effect("every write of a successful run commits: the ledger's and the outbox's", () =>
      Effect.gen(function*() {
        const { wallet, transaction, event, write } = yield* topUpWithEvent(700)
        yield* (yield* Transactional).run(write)
        assert.deepStrictEqual(yield* written(wallet, transaction.id), { transaction: true, balanceXof: 700 })
        assert.isTrue((yield* pendingEventIds).has(event.id))
      }))

    it.effect("a run that fails after writing leaves nothing of it, in any port", () =>
      Effect.gen(function*() {
        const { wallet, transaction, event, write } = yield* topUpWithEvent(700)
        const failure = yield* Effect.flip((yield* Transactional).run(Effect.andThen(write, Effect.fail(new Boom()))))
        assert.strictEqual(failure._tag, "Boom")
        assert.deepStrictEqual(yield* written(wallet, transaction.id), { transaction: false, balanceXof: 0 })
        assert.isFalse((yield* pendingEventIds).has(event.id))
      }))

    it.effect("nested, a failing inner run takes back its own writes only; the outer one commits the rest", () =>
      Effect.gen(function*() {
        const transactional = yield* Transactional
        const kept = yield* topUpWithEvent(300)
        const undone = yield* topUpWithEvent(500)
        yield* transactional.run(Effect.gen(function*() {
          yield* kept.write
          const inner = yield* Effect.flip(transactional.run(Effect.andThen(undone.write, Effect.fail(new Boom()))))
          assert.strictEqual(inner._tag, "Boom")
        }))
        assert.deepStrictEqual(yield* written(kept.wallet, kept.transaction.id), { transaction: true, balanceXof: 300 })
        assert.deepStrictEqual(yield* written(undone.wallet, undone.transaction.id), { transaction: false, balanceXof: 0 })
        const pending = yield* pendingEventIds
        assert.isTrue(pending.has(kept.event.id))
        assert.isFalse(pending.has(undone.event.id))
      }))

    it.effect("nested, a successful inner run is undone with its outer run", () =>
      Effect.gen(function*() {
        const transactional = yield* Transactional
        const { wallet, transaction, event, write } = yield* topUpWithEvent(400)
        yield* Effect.flip(transactional.run(Effect.andThen(transactional.run(write), Effect.fail(new Boom()))))
        assert.deepStrictEqual(yield* written(wallet, transaction.id), { transaction: false, balanceXof: 0 })
        assert.isFalse((yield* pendingEventIds).has(event.id))
      }))

    it.effect("concurrent runs each commit or fail whole: 20 at once, every other one failing", () =>
      Effect.gen(function*() {
        const transactional = yield* Transactional
        const writes = yield* Effect.forEach(Array.from({ length: 20 }), () => topUpWithEvent(100))
        yield* Effect.forEach(writes, (one, index) =>
          Effect.exit(transactional.run(index % 2 === 0 ? one.write : Effect.andThen(one.write, Effect.andThen(Effect.yieldNow, Effect.fail(new Boom()))))),
          { concurrency: "unbounded" })
        const pending = yield* pendingEventIds
        for (const [index, one] of writes.entries()) {
          const committed = index % 2 === 0
          assert.deepStrictEqual(yield* written(one.wallet, one.transaction.id), { transaction: committed, balanceXof: committed ? 100 : 0 })
          assert.strictEqual(pending.has(one.event.id), committed)
        }
      }))

    it.effect("afterCommit: at once outside a transaction; inside, after the outermost commit sees the writes; never for a failed run or savepoint", () =>
      Effect.gen(function*() {
        const transactional = yield* Transactional
        const ran: Array<string> = []
        const hook = (name: string) => transactional.afterCommit(Effect.sync(() => void ran.push(name)))

        yield* hook("outside")
        assert.deepStrictEqual(ran, ["outside"])

        // The hook reads what the transaction wrote: it runs once that is committed and visible.
        const { wallet, transaction, write } = yield* topUpWithEvent(250)
        const ledger = yield* Ledger
        const seen: Array<unknown> = []
        yield* transactional.run(Effect.gen(function*() {
          yield* write
          yield* transactional.afterCommit(Effect.orDie(Effect.map(Effect.provideService(written(wallet, transaction.id), Ledger, ledger), (state) => void seen.push(state))))
          yield* hook("outer")
          yield* transactional.run(hook("inner kept"))
          yield* Effect.flip(transactional.run(Effect.andThen(hook("inner undone"), Effect.fail(new Boom()))))
          assert.deepStrictEqual(ran, ["outside"])
        }))
        assert.deepStrictEqual(seen, [{ transaction: true, balanceXof: 250 }])
        assert.deepStrictEqual(ran, ["outside", "outer", "inner kept"])

        yield* Effect.flip(transactional.run(Effect.andThen(transactional.run(hook("inside a failed run")), Effect.fail(new Boom()))))
        assert.deepStrictEqual(ran, ["outside", "outer", "inner kept"])
      }))
  })
