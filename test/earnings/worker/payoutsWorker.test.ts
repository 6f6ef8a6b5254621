import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes, randomUUID } from "node:crypto"
import { resolve } from "node:path"
import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PayoutAccountRepositoryPostgres } from "@nelo/adapters/postgres/PayoutAccountRepositoryPostgres"
import type { Payee } from "@nelo/domain/earnings/Payout"
import { PayoutAccountRepository } from "@nelo/domain/earnings/PayoutAccountRepository"
import type { Phone } from "@nelo/domain/shared/Phone"
import { xof } from "@nelo/domain/shared/Xof"
import { makeAuditLedger } from "@nelo/domain/wallet/auditLedger"
import { Ledger } from "@nelo/domain/wallet/Ledger"
import { anAdmin, succeeded } from "../../support/cliResults.ts"
import { BedEnv, domainBed } from "../../support/domainBed.ts"
import { fakeWave } from "../../support/fakeWave.ts"
import { cli, repositoryRoot } from "../../support/runProcess.ts"

// The worker as a real process (apps/worker/src/main.ts), paying 40 payees through the fake Wave,
// SIGKILLed while Wave answers slowly: some payouts were made at Wave and never recorded, some were
// being sent, most not started. A new worker process finds where each stood (Wave asked by our
// payout id before anything is sent again) and finishes: every payee paid exactly once, the ledger
// balanced, payouts in flight empty.

const payees = 40

const earningsAccountOf = (payee: Payee) => Ledger.use((ledger) => payee.kind === "provider" ? ledger.providerEarningsOf(payee.id) : ledger.driverEarningsOf(payee.id))
const balanceOf = (accountId: string) => Ledger.use((ledger) => Effect.map(ledger.stateOf(accountId), (state) => state.balanceXof))
const inFlight = Ledger.use((ledger) => Effect.flatMap(ledger.payoutsInFlight, (account) => balanceOf(account.id)))
const waveClearing = Ledger.use((ledger) => Effect.flatMap(ledger.clearingOf("wave"), (account) => balanceOf(account.id)))

/** Commission earned yesterday: platform revenue → the payee's earnings. */
const earn = (payee: Payee, amountXof: number) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    yield* ledger.post<never>({
      transaction: {
        id: randomUUID(),
        type: "commission",
        idempotencyKey: `test-payouts-worker-${randomUUID()}`,
        postings: [{ accountId: (yield* ledger.platformRevenue).id, amountXof: xof(0 - amountXof) }, { accountId: (yield* earningsAccountOf(payee)).id, amountXof: xof(amountXof) }],
        cause: { kind: "system", id: "payouts-worker-test" },
        reversesId: null,
        note: null,
        reference: null,
        createdAt: new Date(Date.now() - 86_400_000)
      }
    }).pipe(Effect.orDie)
  })

/** A worker process with the test's env; its output kept for the failures' messages. */
const startWorker = (env: Record<string, string>) => {
  const child: ChildProcess = spawn(process.execPath, [resolve(repositoryRoot, "apps/worker/src/main.ts")], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout!.on("data", (chunk) => (output += chunk))
  child.stderr!.on("data", (chunk) => (output += chunk))
  const exited = new Promise<void>((done) => child.on("exit", () => done()))
  return {
    output: () => output,
    kill: () => Effect.promise(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
      return exited
    })
  }
}

/** Polls `check` every 25 ms until it returns true, failing after `timeoutMs` with `what` and `details`. */
const until = <E, R>(check: Effect.Effect<boolean, E, R>, timeoutMs: number, what: string, details: () => string) =>
  Effect.gen(function*() {
    const deadline = Date.now() + timeoutMs
    while (!(yield* check)) {
      if (Date.now() > deadline) return yield* Effect.die(new Error(`${what}: not within ${timeoutMs} ms\n${details().slice(-4_000)}`))
      yield* Effect.sleep("25 millis")
    }
  })

layer(Layer.provideMerge(PayoutAccountRepositoryPostgres, domainBed("payouts_worker")), { excludeTestServices: true, timeout: "150 seconds" })("payouts through the worker process", (it) => {
  it.effect("a worker SIGKILLed mid-run and started again pays every payee exactly once", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const apiKey = `wave_ci_prod_${randomBytes(12).toString("hex")}`
      const wave = yield* fakeWave({ apiKey })
      const admin = yield* anAdmin
      const accounts = yield* PayoutAccountRepository

      // 40 payees (providers and drivers), each owed a multiple of 5 F over the minimum, with a confirmed number.
      const owed = new Map<string, { readonly payee: Payee; readonly amountXof: number; readonly mobile: string }>()
      for (let index = 0; index < payees; index++) {
        const payee: Payee = { kind: index % 2 === 0 ? "provider" : "driver", id: randomUUID() }
        const amountXof = 1_000 + 5 * ((index * 7_919) % 2_000)
        const mobile = `+22501${String(50_000_000 + index).padStart(8, "0")}` as Phone
        const at = new Date(Date.now() - 3 * 86_400_000)
        yield* accounts.setPending(payee, { mobile, holderName: `Bénéficiaire ${index + 1}`, at })
        assert.isTrue(yield* accounts.confirm(payee, { mobile, at, heldUntil: null, changedBy: "payouts-worker-test" }))
        yield* earn(payee, amountXof)
        owed.set(payee.id, { payee, amountXof, mobile })
      }
      const totalXof = [...owed.values()].reduce((sum, entry) => sum + entry.amountXof, 0)
      const clearingBefore = yield* waveClearing

      const bed = yield* BedEnv
      const env = {
        ...bed,
        WAVE_PAYOUT_API_KEY: apiKey,
        WAVE_BASE_URL: wave.baseUrl,
        PAYOUTS_SWEEP_INTERVAL_MS: "100",
        PAYOUTS_SCHEDULE: "off",
        LOG_LEVEL: "info"
      }
      const [said] = succeeded(yield* Effect.promise(() => cli(["payouts", "run", "--admin", admin.phone], env)), "payouts run")
      const runId = /^Versement ([0-9a-f-]{36}) : 40 versement\(s\), /u.exec(said!)?.[1]
      assert.isDefined(runId, said)
      assert.strictEqual(yield* inFlight, totalXof)

      const statuses = sql<{ id: string; payeeId: string; amountXof: string; status: string; gateway: string | null }>`
        SELECT id, payee_id, amount_xof::text AS amount_xof, status, gateway FROM earnings.payouts WHERE run_id = ${runId!}`
      const made = yield* statuses
      assert.lengthOf(made, payees)

      // Wave answers slowly: each step (a search, then the send) takes long; the worker is killed
      // once some payouts are made at Wave (some answered, some not), long before all are.
      wave.setDelay(400)
      const first = startWorker(env)
      yield* until(Effect.sync(() => wave.payouts.size >= 10), 30_000, "the first payouts made at Wave", first.output).pipe(
        Effect.onExit(() => first.kill())
      )
      yield* first.kill()
      const madeBeforeKill = wave.payouts.size
      assert.isAbove(madeBeforeKill, 0)
      assert.isBelow(madeBeforeKill, payees, "the worker was killed before it made every payout")
      const before = yield* statuses
      assert.isAbove(before.filter((payout) => payout.status !== "succeeded").length, 0, "payouts left unfinished by the kill")

      // A new worker, Wave answering at once again: it finishes what the first left, wherever it stood.
      // The steps the killed worker had running are BullMQ jobs still locked by it (the sweep's add of
      // the same job id is ignored): they run again once BullMQ finds them stalled (lock expired, then
      // its stalled-jobs check: 10 s and 5 s on the payouts queue), which is most of this test's time.
      wave.setDelay(0)
      const second = startWorker(env)
      let last: ReadonlyArray<unknown> = []
      yield* until(
        Effect.map(statuses, (rows) => {
          last = rows.filter((payout) => payout.status !== "succeeded")
          return last.length === 0
        }),
        60_000,
        "every payout succeeded",
        () => `${second.output()}\nfake Wave made ${wave.payouts.size}\n${JSON.stringify(last)}\nbefore: ${JSON.stringify(before)}`
      ).pipe(Effect.ensuring(second.kill()))

      // Wave made exactly one payout per payout id, each of the right amount to the right number.
      const created = wave.payoutsCreated()
      const references = created.map((payout) => payout.client_reference)
      assert.strictEqual(new Set(references).size, references.length, "no client_reference twice")
      assert.lengthOf(created, payees)
      const byId = new Map((yield* statuses).map((payout) => [payout.id, payout]))
      for (const payout of created) {
        const ours = byId.get(payout.client_reference!)
        assert.isDefined(ours, `Wave's payout ${payout.id} is one of ours`)
        const entry = owed.get(ours!.payeeId)!
        assert.deepStrictEqual([payout.receive_amount, payout.currency, payout.mobile], [String(entry.amountXof), "XOF", entry.mobile], `payout ${payout.client_reference}`)
        assert.strictEqual(Number(ours!.amountXof), entry.amountXof)
        assert.strictEqual(ours!.gateway, "wave")
      }
      assert.deepStrictEqual(wave.problems, [])

      // The ledger: nothing left in flight, every earnings account at 0, Wave's clearing up by the total.
      assert.strictEqual(yield* inFlight, 0)
      for (const entry of owed.values()) assert.strictEqual(yield* balanceOf((yield* earningsAccountOf(entry.payee)).id), 0, `the earnings of ${entry.payee.kind} ${entry.payee.id}`)
      assert.strictEqual((yield* waveClearing) - clearingBefore, totalXof)
      const [paidOnce] = yield* sql<{ transactions: number; keys: number }>`
        SELECT count(*)::int AS transactions, count(DISTINCT idempotency_key)::int AS keys FROM wallet.transactions WHERE type = 'payout'`
      assert.deepStrictEqual(paidOnce, { transactions: 2 * payees, keys: 2 * payees }, "one payout and one paid transaction per payee")
      assert.deepStrictEqual((yield* yield* makeAuditLedger).differences, [])
    }), 150_000)
})
