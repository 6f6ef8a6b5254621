import { assert } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import { LedgerMemory } from "@nelo/adapters/memory/LedgerMemory"
import { TransactionalMemory } from "@nelo/adapters/memory/memoryTransaction"
import { OutboxStoreMemory } from "@nelo/adapters/memory/OutboxStoreMemory"
import { LedgerPostgres } from "@nelo/adapters/postgres/LedgerPostgres"
import { OutboxStorePostgres } from "@nelo/adapters/postgres/OutboxStorePostgres"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { TransactionalPostgres } from "@nelo/adapters/postgres/TransactionalPostgres"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { Ledger, type LedgerFacts } from "@nelo/domain/wallet/Ledger"
import { isolatedDatabase } from "../../support/isolatedDatabase.ts"
import { withEnv } from "../../support/withEnv.ts"
import { assertLedgerHolds, ledgerContract, makeTransaction, nextId } from "./ledgerContract.ts"
import { makeEvent } from "../../events/contracts/outboxStoreContract.ts"
import { xof } from "@nelo/domain/shared/Xof"

// The memory outbox never yields; this one does, so that fibers writing events at once really
// interleave, and the transactions' own exclusion is what keeps them apart.
const yieldingOutbox = Layer.effect(OutboxStore, OutboxStore.useSync((outbox) =>
  OutboxStore.of({ ...outbox, append: (events) => Effect.andThen(Effect.yieldNow, outbox.append(events)) }))).pipe(Layer.provide(OutboxStoreMemory))

ledgerContract("memory", Layer.mergeAll(LedgerMemory, yieldingOutbox, TransactionalMemory), { propertyRuns: 100 })

// A database of its own: `facts` reads the whole ledger, and the outbox must start empty.
const postgresLedger = Layer.unwrap(Effect.map(isolatedDatabase("ledger_contract"), (url) =>
  Layer.mergeAll(LedgerPostgres, OutboxStorePostgres, TransactionalPostgres).pipe(
    Layer.provideMerge(PostgresLayer),
    Layer.provide(withEnv({ DATABASE_URL: url }))
  )))

ledgerContract("postgres", postgresLedger, {
  propertyRuns: 25,
  storeTests: (it) => {
    it.effect("the database refuses to rewrite the ledger: no UPDATE, DELETE or TRUNCATE of transactions and postings", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const ledger = yield* Ledger
        const wallet = yield* ledger.walletOf(nextId())
        const clearing = yield* ledger.clearingOf("wave")
        const topup = makeTransaction("topup", [{ accountId: clearing.id, amountXof: xof(-700) }, { accountId: wallet.id, amountXof: xof(700) }])
        yield* ledger.post({ transaction: topup })
        const refusals = [
          sql`UPDATE wallet.postings SET amount_xof = 7000 WHERE transaction_id = ${topup.id} AND account_id = ${wallet.id}`,
          sql`DELETE FROM wallet.postings WHERE transaction_id = ${topup.id}`,
          sql`UPDATE wallet.transactions SET note = 'edited' WHERE id = ${topup.id}`,
          sql`DELETE FROM wallet.transactions WHERE id = ${topup.id}`,
          sql`TRUNCATE wallet.postings, wallet.transactions CASCADE`,
          // The last line of defence under the domain's rules: no negative wallet, no unbalanced transaction.
          sql`UPDATE wallet.accounts SET balance_xof = -1 WHERE id = ${wallet.id}`,
          sql.withTransaction(Effect.gen(function*() {
            const id = nextId()
            yield* sql`INSERT INTO wallet.transactions (id, type, idempotency_key, cause_kind, cause_id, created_at) VALUES (${id}, 'topup', ${id}, 'system', 'test', now())`
            yield* sql`INSERT INTO wallet.postings (transaction_id, account_id, position, amount_xof, created_at) VALUES (${id}, ${wallet.id}, 0, 5, now()), (${id}, ${clearing.id}, 1, -4, now())`
          }))
        ]
        for (const refused of refusals) assert.strictEqual((yield* Effect.flip(refused))._tag, "SqlError")
        // The same floor on the escrow; none on earnings (a refund after settlement may take them below zero).
        const escrow = yield* ledger.escrowOf(nextId())
        assert.strictEqual((yield* Effect.flip(sql`UPDATE wallet.accounts SET balance_xof = -1 WHERE id = ${escrow.id}`))._tag, "SqlError")
        for (const earnings of [yield* ledger.providerEarningsOf(nextId()), yield* ledger.driverEarningsOf(nextId())]) {
          const undone = yield* sql.withTransaction(Effect.andThen(
            sql`UPDATE wallet.accounts SET balance_xof = -1 WHERE id = ${earnings.id}`,
            // Taken back once the CHECK let it through: the balances stay the sums of their postings.
            Effect.fail("rolled back" as const)
          )).pipe(Effect.flip)
          assert.strictEqual(undone, "rolled back", `${earnings.kind} may hold a negative balance`)
        }
        assert.strictEqual((yield* ledger.stateOf(wallet.id)).balanceXof, 700)
        const [posting] = yield* sql<{ amountXof: bigint }>`SELECT amount_xof FROM wallet.postings WHERE transaction_id = ${topup.id} AND account_id = ${wallet.id}`
        assert.strictEqual(posting?.amountXof, 700n)
      }))

    it.effect("a post and its events in one Transactional run: when the outbox fails, nothing of the post is written", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const outbox = yield* OutboxStore
        const wallet = yield* ledger.walletOf(nextId())
        const event = makeEvent(wallet.id)
        yield* outbox.append([event])
        const topup = makeTransaction("topup", [{ accountId: (yield* ledger.clearingOf("wave")).id, amountXof: xof(-700) }, { accountId: wallet.id, amountXof: xof(700) }])
        // The outbox's unique event id refuses the second insert, after the ledger's own writes.
        const transactional = yield* Transactional
        const failure = yield* Effect.flip(transactional.run(Effect.andThen(ledger.post<never>({ transaction: topup }), outbox.append([event]))))
        assert.strictEqual(failure._tag, "OutboxUnavailable")
        assert.isTrue(Option.isNone(yield* ledger.findTransaction(topup.id)))
        assert.strictEqual((yield* ledger.stateOf(wallet.id)).balanceXof, 0)
        assertLedgerHolds(yield* ledger.facts)
      }))

    it.effect("facts reports what went wrong behind the ledger's back: a balance edited, an unbalanced transaction, an inexact reversal", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const ledger = yield* Ledger
        const wallet = yield* ledger.walletOf(nextId())
        const clearing = yield* ledger.clearingOf("wave")
        const topup = makeTransaction("topup", [{ accountId: clearing.id, amountXof: xof(-700) }, { accountId: wallet.id, amountXof: xof(700) }])
        yield* ledger.post({ transaction: topup })
        const [unbalanced, inexact] = [nextId(), nextId()]
        // Written and read in one transaction that is then rolled back: the ledger stays sound, and
        // the deferred balance check (at commit) never runs.
        const facts = yield* Effect.flip(sql.withTransaction(Effect.gen(function*() {
          yield* sql`UPDATE wallet.accounts SET balance_xof = balance_xof + 1 WHERE id = ${wallet.id}`
          yield* sql`INSERT INTO wallet.transactions (id, type, idempotency_key, cause_kind, cause_id, created_at) VALUES (${unbalanced}, 'topup', ${unbalanced}, 'system', 'test', now())`
          yield* sql`INSERT INTO wallet.postings (transaction_id, account_id, position, amount_xof, created_at) VALUES (${unbalanced}, ${wallet.id}, 0, 5, now())`
          yield* sql`INSERT INTO wallet.transactions (id, type, idempotency_key, cause_kind, cause_id, reverses_id, created_at) VALUES (${inexact}, 'reversal', ${inexact}, 'system', 'test', ${topup.id}, now())`
          yield* sql`INSERT INTO wallet.postings (transaction_id, account_id, position, amount_xof, created_at) VALUES (${inexact}, ${wallet.id}, 0, -600, now()), (${inexact}, ${clearing.id}, 1, 600, now())`
          return yield* Effect.fail(yield* ledger.facts)
        })))
        assert.notProperty(facts, "_tag")
        const read = facts as LedgerFacts
        const walletFacts = read.accounts.find((entry) => entry.account.id === wallet.id)
        assert.deepStrictEqual([walletFacts?.storedBalanceXof, walletFacts?.postedSumXof], [701, 700 + 5 - 600])
        assert.deepStrictEqual(read.unbalancedTransactions, [{ id: unbalanced, sumXof: xof(5), postings: 1 }])
        assert.deepStrictEqual(read.brokenReversals, [inexact])
        assertLedgerHolds(yield* ledger.facts)
      }))

    it.effect("every freeze and unfreeze that changed something is kept in the freeze history", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const ledger = yield* Ledger
        const wallet = yield* ledger.walletOf(nextId())
        const by = { kind: "admin" as const, id: nextId() }
        yield* ledger.setFreeze(wallet.id, { freeze: { reason: "fraude", causedBy: by, at: new Date(1_000) } })
        yield* ledger.setFreeze(wallet.id, { freeze: { reason: "encore", causedBy: by, at: new Date(2_000) } })
        yield* ledger.setFreeze(wallet.id, { unfreeze: { reason: "vérifié", causedBy: by, at: new Date(3_000) } })
        const history = yield* sql<{ action: string; reason: string; byKind: string; byId: string; at: Date }>`
          SELECT action, reason, by_kind, by_id, at FROM wallet.freezes WHERE account_id = ${wallet.id} ORDER BY at`
        assert.deepStrictEqual(history, [
          { action: "freeze", reason: "fraude", byKind: "admin", byId: by.id, at: new Date(1_000) },
          { action: "unfreeze", reason: "vérifié", byKind: "admin", byId: by.id, at: new Date(3_000) }
        ])
      }))
  }
})
