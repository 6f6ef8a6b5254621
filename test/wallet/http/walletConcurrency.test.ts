import { randomInt } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { inject } from "vitest"
import { PostgresLayer } from "@nelo/adapters/postgres/PostgresLayer"
import { answered, answerOf } from "../../support/neloClient.ts"
import { runNode } from "../../support/runProcess.ts"
import { fundedPerson, isPinBusy, newKey, type Person, personWithPin, sendRetryingBusy, waitForBalance, walletTestbed } from "../../support/walletClient.ts"

// Five people sending each other money all at once, over HTTP, some transfers sent twice with the
// same key at the same time. Whatever the interleaving: every 201 is exactly one ledger
// transaction, a key never moves money twice, nobody goes below zero, no franc is made or lost,
// and the ledger's own audit (the admin CLI, in its own process) finds nothing to say.

const people = 5
const topupXof = 20_000
const transfers = 300
const resent = 50

interface Sent {
  readonly from: number
  readonly to: number
  readonly amount: number
  readonly idempotencyKey: string
}

/** Refusals that concurrency may legitimately produce: the money was not there, or the day's allowance was used. */
const acceptableRefusals = new Set(["insufficient_funds", "limit_exceeded"])

layer(PostgresLayer, { excludeTestServices: true, timeout: "120 seconds" })("wallet: concurrency", (it) => {
  it.effect("one person sending 40 transfers at once with the right PIN, twice over: the excess is asked to retry in a second, all go through, the PIN is not locked, the wallet not frozen", () =>
    Effect.scoped(Effect.gen(function*() {
      // Repeated: the second round starts with the counts the first left behind.
      const bed = yield* walletTestbed()
      const aya = yield* fundedPerson(bed, 20_000)
      const kofi = yield* personWithPin(bed.api)
      for (let round = 1; round <= 2; round++) {
        const keys = Array.from({ length: 40 }, () => newKey())
        const first = yield* Effect.all(keys.map((idempotencyKey) => answerOf(aya.send(kofi, 100, { idempotencyKey }))), { concurrency: "unbounded" })
        // More checks in flight than wrong PINs allowed: the excess is refused uncompared, asked to retry.
        assert.isTrue(first.every((answer) => answer.status === 201 || isPinBusy(answer)), JSON.stringify(first.find((answer) => answer.status !== 201 && !isPinBusy(answer))?.body))
        const answers = yield* sendRetryingBusy(keys.map((idempotencyKey) => () => answerOf(aya.send(kofi, 100, { idempotencyKey }))))
        const refused = answers.filter((answer) => answer.status !== 201)
        const through = answers.length - refused.length
        // Whatever went through is what moved, even when something was refused.
        yield* waitForBalance(aya, 20_000 - 100 * (40 * (round - 1) + through), 2_000)
        const wallet = yield* answered(aya.wallet())
        assert.deepStrictEqual(
          { refused: refused.length, first: refused[0]?.body, status: wallet.body.status, frozenReason: wallet.body.frozenReason },
          { refused: 0, first: undefined, status: "active", frozenReason: null },
          `round ${round}: the right PIN, 40 times at once`
        )
      }
      yield* waitForBalance(kofi, 40 * 2 * 100)
      assert.strictEqual((yield* answered(kofi.send(aya, 100))).status, 201)
    })))

  it.effect("300 concurrent transfers among 5 people, 50 of them sent twice at once: each 201 is one transaction, no money made or lost, the audit passes", () =>
    Effect.scoped(Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      // Limits high enough that the balances, not the allowances, are what refuses most.
      const bed = yield* walletTestbed({ WALLET_DAILY_LIMIT_XOF: "10000000", WALLET_MONTHLY_LIMIT_XOF: "10000000" })
      const crowd: Array<Person> = yield* Effect.all(Array.from({ length: people }, (_, index) => fundedPerson(bed, topupXof, `Personne ${index + 1} Test`)), { concurrency: people })

      const plan: Array<Sent> = Array.from({ length: transfers }, () => {
        const from = randomInt(0, people)
        const to = (from + 1 + randomInt(0, people - 1)) % people
        return { from, to, amount: 5 * randomInt(20, 1_001), idempotencyKey: newKey() }
      })
      // 50 of them go twice, at the same time as everything else.
      const sends = [...plan, ...plan.slice(0, resent)]
      // Answers "PIN busy" (too many checks of one PIN at once) are sent again, as the app would.
      const answers = yield* sendRetryingBusy(
        sends.map((transfer) => () =>
          answerOf(crowd[transfer.from]!.transfer({ toPhone: crowd[transfer.to]!.phone, amount: transfer.amount, pin: crowd[transfer.from]!.pin, idempotencyKey: transfer.idempotencyKey })))
      )

      // Nothing a client could not cause: no 5xx (checked now; the other refusals at the end, after
      // the money, which must add up whatever was refused).
      assert.deepStrictEqual(answers.filter((answer) => answer.status >= 500).map((answer) => JSON.stringify(answer.body)), [])

      // The same key: the same transfer whenever both went through.
      const byKey = new Map<string, Set<string>>()
      sends.forEach((transfer, index) => {
        const answer = answers[index]!
        if (answer.status !== 201 || !answer.ok) return
        assert.strictEqual(answer.body.amountXof, transfer.amount)
        const ids = byKey.get(transfer.idempotencyKey) ?? new Set()
        ids.add(answer.body.id)
        byKey.set(transfer.idempotencyKey, ids)
      })
      for (const [key, ids] of byKey) assert.strictEqual(ids.size, 1, `key ${key} answered with ${[...ids].join(", ")}`)
      const accepted = plan.filter((transfer) => byKey.has(transfer.idempotencyKey))

      // Each accepted transfer is exactly one ledger transaction, moving its amount from its sender to
      // its receiver; and the people's wallets have no other transfer.
      const acceptedIds = accepted.map((transfer) => [...byKey.get(transfer.idempotencyKey)!][0]!)
      const userIds = crowd.map((person) => person.userId)
      const rows = yield* sql<{ id: string; idempotencyKey: string; senderId: string; receiverId: string; amountXof: string }>`
        SELECT t.id, t.idempotency_key,
               (SELECT a.owner_id FROM wallet.postings p JOIN wallet.accounts a ON a.id = p.account_id WHERE p.transaction_id = t.id AND p.amount_xof < 0) AS sender_id,
               (SELECT a.owner_id FROM wallet.postings p JOIN wallet.accounts a ON a.id = p.account_id WHERE p.transaction_id = t.id AND p.amount_xof > 0) AS receiver_id,
               (SELECT sum(p.amount_xof) FROM wallet.postings p WHERE p.transaction_id = t.id AND p.amount_xof > 0) AS amount_xof
        FROM wallet.transactions t
        WHERE t.type = 'transfer' AND t.id IN (
          SELECT p.transaction_id FROM wallet.postings p JOIN wallet.accounts a ON a.id = p.account_id
          WHERE a.kind = 'customer_wallet' AND a.owner_id IN ${sql.in(userIds)})`
      assert.strictEqual(rows.length, accepted.length, "one transaction per accepted transfer, none for a refused or repeated one")
      const stored = new Map(rows.map((row) => [row.id, row]))
      accepted.forEach((transfer, index) => {
        const row = stored.get(acceptedIds[index]!)
        assert.isDefined(row, `transfer ${acceptedIds[index]} is in the ledger`)
        assert.strictEqual(row!.idempotencyKey, `transfer:${crowd[transfer.from]!.userId}:${transfer.idempotencyKey}`)
        assert.strictEqual(row!.senderId, crowd[transfer.from]!.userId)
        assert.strictEqual(row!.receiverId, crowd[transfer.to]!.userId)
        assert.strictEqual(Number(row!.amountXof), transfer.amount)
      })

      // Balances: what the 201s say, to the franc; never negative; the sum is the sum of the top-ups.
      const expected = crowd.map(() => topupXof)
      for (const transfer of accepted) {
        expected[transfer.from]! -= transfer.amount
        expected[transfer.to]! += transfer.amount
      }
      const balances = yield* Effect.forEach(crowd, (person, index) => Effect.map(waitForBalance(person, expected[index]!, 2_000), (wallet) => wallet.balanceXof))
      for (const balance of balances) assert.isAtLeast(balance, 0)
      assert.strictEqual(balances.reduce((sum, balance) => sum + balance, 0), people * topupXof)
      const storedBalances = yield* sql<{ balanceXof: string }>`
        SELECT balance_xof FROM wallet.accounts WHERE kind = 'customer_wallet' AND owner_id IN ${sql.in(userIds)}`
      assert.strictEqual(storedBalances.reduce((sum, row) => sum + Number(row.balanceXof), 0), people * topupXof)
      // The ledger's own audit, in the admin CLI's process, on this run's database.
      const audit = yield* Effect.promise(() => runNode("scripts/nelo.mjs", ["admin", "wallet", "audit"], { DATABASE_URL: inject("databaseUrl") }, 60_000))
      assert.strictEqual(audit.code, 0, `${audit.stdout}\n${audit.stderr}`)
      assert.match(audit.stdout, /^Aucune différence : le grand livre est cohérent\.$/mu)
      assert.match(audit.stdout, /^Somme des soldes : 0 F CFA$/mu)

      assert.isAbove(accepted.length, 20, "enough transfers went through for the test to mean something")
      assert.isBelow(accepted.length, transfers, "some were refused: the balances were really contended")

      // Last: every refusal was one the crowd could cause (the money was not there, or the day's
      // allowance was used); the right PIN sent often at once neither locks the PIN nor freezes a wallet.
      const unexpected = answers.map((answer, index) => ({ answer, index })).filter(({ answer }) =>
        answer.status !== 201 && !(answer.status === 422 && !answer.ok && acceptableRefusals.has(answer.body.code)))
      const refusalCounts: Record<string, number> = {}
      const codeOf = (answer: (typeof answers)[number]) => (answer.ok ? undefined : answer.body.code)
      for (const { answer } of unexpected) refusalCounts[`${answer.status} ${codeOf(answer)}`] = (refusalCounts[`${answer.status} ${codeOf(answer)}`] ?? 0) + 1
      assert.deepStrictEqual(refusalCounts, {}, `unexpected refusals, e.g. ${unexpected.slice(0, 3).map(({ answer, index }) => `#${index} ${answer.status} ${JSON.stringify(answer.body)}`).join(" | ")}`)
      const statuses = yield* Effect.forEach(crowd, (person) => Effect.map(answered(person.wallet()), (wallet) => `${wallet.body.status} ${wallet.body.frozenReason ?? ""}`.trim()))
      assert.deepStrictEqual(statuses, crowd.map(() => "active"))
    })))
})
