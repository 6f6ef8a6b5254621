import { assert, layer } from "@effect/vitest"
import { randomInt } from "node:crypto"
import { Effect, type Layer, Option } from "effect"
import type { Payee, Payout, PayoutRun, PayoutStatus } from "@nelo/domain/earnings/Payout"
import { PayoutRepository } from "@nelo/domain/earnings/PayoutRepository"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { xof } from "@nelo/domain/shared/Xof"
import { nextId } from "../../wallet/contracts/ledgerContract.ts"

const malformed = ["not-a-uuid", "", "'; DROP TABLE earnings.payouts; --"]
const provider = (): Payee => ({ kind: "provider", id: nextId() })
const driver = (): Payee => ({ kind: "driver", id: nextId() })

/** A manual batch's period of its own (the store may be shared: one batch per period), days long ago. */
const freshPeriod = () => {
  const from = new Date(Date.UTC(1900, 0, 1) + randomInt(0, 36_000) * 86_400_000)
  const to = new Date(from.getTime() + randomInt(0, 30) * 86_400_000)
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) }
}

/** Instants of a test's own, in a year nobody else writes (unfinished reads the whole store, oldest first). */
const freshInstants = () => {
  const base = Date.UTC(1901, 0, 1) + randomInt(0, 300) * 86_400_000
  return (minutes: number) => new Date(base + minutes * 60_000)
}

const gatewayRun = (): PayoutRun => ({ id: nextId(), method: "gateway", periodFrom: null, periodTo: null, startedBy: "schedule:payouts", createdAt: new Date(Date.UTC(2026, 10, 3, 9, 30, 15, 123)) })

const payoutOf = (run: PayoutRun, payee: Payee, overrides: Partial<Payout> = {}): Payout => ({
  id: nextId(),
  runId: run.id,
  payee,
  amountXof: xof(12_345),
  mobile: "+2250701020304",
  holderName: "Aya Koné",
  method: run.method,
  gateway: null,
  status: run.method === "gateway" ? "pending" : "exported",
  gatewayReference: null,
  detail: null,
  attempts: 0,
  orderCount: 0,
  createdAt: new Date(Date.UTC(2026, 10, 3, 9, 30, 16, 456)),
  updatedAt: new Date(Date.UTC(2026, 10, 3, 9, 30, 16, 456)),
  ...overrides
})

const withRun = (run: PayoutRun) => Effect.as(PayoutRepository.use((payouts) => payouts.createRun(run)), run)

const closingStatuses: ReadonlyArray<PayoutStatus> = ["succeeded", "failed", "reversed", "paid"]

/**
 * One suite, run against every PayoutRepository adapter (with the Transactional of its store); each
 * test names runs, payees and periods of its own (the store may be shared).
 */
export const payoutRepositoryContract = (name: string, repositoryLayer: Layer.Layer<PayoutRepository | Transactional, unknown>) =>
  layer(repositoryLayer, { excludeTestServices: true })(`PayoutRepository contract: ${name}`, (it) => {
    it.effect("runs: a gateway run and a manual batch read back as created; a manual batch is found by its period, only by it", () =>
      Effect.gen(function*() {
        const payouts = yield* PayoutRepository
        const gateway = yield* withRun(gatewayRun())
        const period = freshPeriod()
        const manual = yield* withRun({ id: nextId(), method: "manual", periodFrom: period.from, periodTo: period.to, startedBy: nextId(), createdAt: new Date(Date.UTC(2026, 10, 4, 8)) })
        assert.deepStrictEqual(yield* payouts.findRun(gateway.id), Option.some(gateway))
        assert.deepStrictEqual(yield* payouts.findRun(manual.id), Option.some(manual))
        assert.deepStrictEqual(yield* payouts.findRun(manual.id.toUpperCase()), Option.some(manual), "an id in upper case names the same run")
        assert.deepStrictEqual(yield* payouts.findManualRun(period.from, period.to), Option.some(manual))
        const other = freshPeriod()
        assert.isTrue(Option.isNone(yield* payouts.findManualRun(other.from, other.to)))
        assert.isTrue(Option.isNone(yield* payouts.findManualRun(period.from, other.to)), "both days must match")
        assert.isTrue(Option.isNone(yield* payouts.findRun(nextId())))
      }))

    it.effect("a second manual run of the same period is refused (PayoutBatchExists), writing nothing; the first stays the period's batch", () =>
      Effect.gen(function*() {
        const payouts = yield* PayoutRepository
        const period = freshPeriod()
        const first = yield* withRun({ id: nextId(), method: "manual", periodFrom: period.from, periodTo: period.to, startedBy: "admin-a", createdAt: new Date(Date.UTC(2026, 10, 4, 8)) })
        const second: PayoutRun = { id: nextId(), method: "manual", periodFrom: period.from, periodTo: period.to, startedBy: "admin-b", createdAt: new Date(Date.UTC(2026, 10, 4, 9)) }
        assert.strictEqual((yield* Effect.flip(payouts.createRun(second)))._tag, "PayoutBatchExists")
        assert.isTrue(Option.isNone(yield* payouts.findRun(second.id)))
        assert.deepStrictEqual(yield* payouts.findManualRun(period.from, period.to), Option.some(first))
        // The same run twice is refused too; gateway runs have no period, and any number of them may be made.
        assert.strictEqual((yield* Effect.flip(payouts.createRun(first)))._tag, "EarningsUnavailable")
        yield* withRun(gatewayRun())
        yield* withRun(gatewayRun())
      }))

    it.effect("create then findById: every field as written, dates to the millisecond, the amount as a number", () =>
      Effect.gen(function*() {
        const payouts = yield* PayoutRepository
        const run = yield* withRun(gatewayRun())
        const payout = payoutOf(run, driver(), {
          amountXof: xof(987_654_321),
          gateway: "cinetpay",
          status: "processing",
          gatewayReference: "cp-ref-42",
          detail: "accepté",
          attempts: 3,
          orderCount: 17,
          createdAt: new Date(Date.UTC(2026, 10, 5, 1, 2, 3, 4)),
          updatedAt: new Date(Date.UTC(2026, 10, 5, 6, 7, 8, 9))
        })
        yield* payouts.create(payout)
        const found = yield* payouts.findById(payout.id)
        assert.deepStrictEqual(found, Option.some(payout))
        assert.strictEqual(typeof Option.getOrThrow(found).amountXof, "number")
        assert.deepStrictEqual(yield* payouts.findById(payout.id.toUpperCase()), Option.some(payout))
        // A manual payout, nothing optional set.
        const period = freshPeriod()
        const batch = yield* withRun({ id: nextId(), method: "manual", periodFrom: period.from, periodTo: period.to, startedBy: nextId(), createdAt: new Date() })
        const exported = payoutOf(batch, provider(), { amountXof: xof(1) })
        yield* payouts.create(exported)
        assert.deepStrictEqual(yield* payouts.findById(exported.id), Option.some(exported))
        assert.isTrue(Option.isNone(yield* payouts.findById(nextId())))
      }))

    it.effect("one open payout per payee: a second one is PayoutAlreadyOpen, writing nothing, whatever the run; once the first is closed another may be made", () =>
      Effect.gen(function*() {
        const payouts = yield* PayoutRepository
        for (const closing of closingStatuses) {
          const payee = provider()
          const first = payoutOf(yield* withRun(gatewayRun()), payee)
          yield* payouts.create(first)
          const period = freshPeriod()
          const batch = yield* withRun({ id: nextId(), method: "manual", periodFrom: period.from, periodTo: period.to, startedBy: nextId(), createdAt: new Date() })
          const second = payoutOf(batch, { kind: payee.kind, id: payee.id.toUpperCase() })
          const refused = yield* Effect.flip(payouts.create(second))
          assert.strictEqual(refused._tag, "PayoutAlreadyOpen", closing)
          assert.isTrue(Option.isNone(yield* payouts.findById(second.id)))
          // The same id as a driver is another payee.
          yield* payouts.create(payoutOf(batch, { kind: "driver", id: payee.id }))
          yield* payouts.update(first.id, { status: closing, updatedAt: new Date() })
          yield* payouts.create(second)
          assert.deepStrictEqual((yield* payouts.ofPayee(payee, 10)).map((payout) => [payout.id, payout.status]), [[second.id, "exported"], [first.id, closing]])
        }
        // Every open status holds the payee.
        for (const open of ["pending", "sending", "processing", "exported"] as const) {
          const payee = driver()
          const run = yield* withRun(gatewayRun())
          yield* payouts.create(payoutOf(run, payee, { status: open }))
          assert.strictEqual((yield* Effect.flip(payouts.create(payoutOf(run, payee))))._tag, "PayoutAlreadyOpen", open)
        }
      }))

    it.effect("update changes what it is given and keeps the rest: status optional, gateway, a null reference or detail clears it, absent keeps it", () =>
      Effect.gen(function*() {
        const payouts = yield* PayoutRepository
        const payout = payoutOf(yield* withRun(gatewayRun()), provider())
        yield* payouts.create(payout)
        const read = Effect.map(payouts.findById(payout.id), Option.getOrThrow)
        const at = (minute: number) => new Date(Date.UTC(2026, 10, 6, 10, minute, 0, 321))

        yield* payouts.update(payout.id, { status: "sending", gateway: "wave", attempts: 1, updatedAt: at(1) })
        assert.deepStrictEqual(yield* read, { ...payout, status: "sending", gateway: "wave", attempts: 1, updatedAt: at(1) })

        yield* payouts.update(payout.id, { status: "processing", gatewayReference: "wave-ref-1", detail: "en cours", updatedAt: at(2) })
        assert.deepStrictEqual(yield* read, { ...payout, status: "processing", gateway: "wave", gatewayReference: "wave-ref-1", detail: "en cours", attempts: 1, updatedAt: at(2) })

        // No status: only the attempts and the instant.
        yield* payouts.update(payout.id, { attempts: 2, updatedAt: at(3) })
        assert.deepStrictEqual(yield* read, { ...payout, status: "processing", gateway: "wave", gatewayReference: "wave-ref-1", detail: "en cours", attempts: 2, updatedAt: at(3) })

        // null clears, absent keeps.
        yield* payouts.update(payout.id, { detail: null, updatedAt: at(4) })
        assert.deepStrictEqual(yield* read, { ...payout, status: "processing", gateway: "wave", gatewayReference: "wave-ref-1", detail: null, attempts: 2, updatedAt: at(4) })
        yield* payouts.update(payout.id, { status: "failed", gatewayReference: null, detail: "numéro inconnu", attempts: 0, updatedAt: at(5) })
        assert.deepStrictEqual(yield* read, { ...payout, status: "failed", gateway: "wave", gatewayReference: null, detail: "numéro inconnu", attempts: 0, updatedAt: at(5) })

        // An unknown or malformed id changes nothing and is no failure.
        yield* payouts.update(nextId(), { status: "paid", updatedAt: at(6) })
        for (const id of malformed) yield* payouts.update(id, { status: "paid", updatedAt: at(6) })
        assert.strictEqual((yield* read).status, "failed")
      }))

    it.effect("ofRun: a run's payouts in the order they were made, no other run's", () =>
      Effect.gen(function*() {
        const payouts = yield* PayoutRepository
        const run = yield* withRun(gatewayRun())
        const other = yield* withRun(gatewayRun())
        const made = [payoutOf(run, provider()), payoutOf(run, driver()), payoutOf(run, provider())]
        yield* payouts.create(payoutOf(other, driver()))
        // Written out of order (a run writes them concurrently): read back in id order, as made.
        for (const payout of [made[2]!, made[0]!, made[1]!]) yield* payouts.create(payout)
        assert.deepStrictEqual(yield* payouts.ofRun(run.id), made)
        assert.deepStrictEqual((yield* payouts.ofRun(run.id.toUpperCase())).map((payout) => payout.id), made.map((payout) => payout.id))
        assert.deepStrictEqual(yield* payouts.ofRun(nextId()), [])
      }))

    it.effect("unfinished: gateway payouts pending, sending or processing changed before the instant, oldest change first, at most the limit", () =>
      Effect.gen(function*() {
        const payouts = yield* PayoutRepository
        const at = freshInstants()
        const run = yield* withRun(gatewayRun())
        const period = freshPeriod()
        const batch = yield* withRun({ id: nextId(), method: "manual", periodFrom: period.from, periodTo: period.to, startedBy: nextId(), createdAt: new Date() })
        const add = (status: PayoutStatus, minute: number, fromRun = run) =>
          Effect.gen(function*() {
            const payout = payoutOf(fromRun, provider(), { status, createdAt: at(0), updatedAt: at(minute) })
            yield* payouts.create(payout)
            return payout
          })
        const processing = yield* add("processing", 30)
        const pending = yield* add("pending", 10)
        const sending = yield* add("sending", 20)
        const sameInstant = yield* add("pending", 20)
        yield* add("succeeded", 5)
        yield* add("failed", 5)
        yield* add("reversed", 5)
        yield* add("exported", 5, batch)
        yield* add("paid", 5, batch)
        const late = yield* add("pending", 40)
        const ids = (list: ReadonlyArray<Payout>) => list.map((payout) => payout.id)
        const bySameInstant = [sending, sameInstant].sort((left, right) => left.id < right.id ? -1 : 1)
        assert.deepStrictEqual(ids(yield* payouts.unfinished(at(40), 100)), ids([pending, ...bySameInstant, processing]), "changed strictly before the instant")
        assert.deepStrictEqual(yield* payouts.unfinished(at(40), 100), [pending, ...bySameInstant, processing], "read whole")
        assert.deepStrictEqual(ids(yield* payouts.unfinished(at(40), 2)), ids([pending, bySameInstant[0]!]))
        assert.deepStrictEqual(ids(yield* payouts.unfinished(at(10), 100)), [])
        assert.deepStrictEqual(ids(yield* payouts.unfinished(at(41), 100)), ids([pending, ...bySameInstant, processing, late]))
        // Changed since (a step touched it): not due before its new instant.
        yield* payouts.update(pending.id, { attempts: 1, updatedAt: at(35) })
        assert.deepStrictEqual(ids(yield* payouts.unfinished(at(31), 100)), ids([...bySameInstant, processing]))
      }))

    it.effect("ofPayee: a payee's payouts newest first, at most the limit, no other payee's", () =>
      Effect.gen(function*() {
        const payouts = yield* PayoutRepository
        const payee = driver()
        const made: Array<Payout> = []
        for (let index = 0; index < 3; index++) {
          const payout = payoutOf(yield* withRun(gatewayRun()), payee, { amountXof: xof(1_000 * (index + 1)) })
          yield* payouts.create(payout)
          yield* payouts.update(payout.id, { status: "succeeded", updatedAt: payout.updatedAt })
          made.push({ ...payout, status: "succeeded" })
        }
        yield* payouts.create(payoutOf(yield* withRun(gatewayRun()), { kind: "provider", id: payee.id }))
        yield* payouts.create(payoutOf(yield* withRun(gatewayRun()), driver()))
        assert.deepStrictEqual(yield* payouts.ofPayee(payee, 10), [...made].reverse())
        assert.deepStrictEqual((yield* payouts.ofPayee(payee, 2)).map((payout) => payout.amountXof), [3_000, 2_000])
        assert.deepStrictEqual((yield* payouts.ofPayee({ kind: "driver", id: payee.id.toUpperCase() }, 10)).length, 3)
        assert.deepStrictEqual(yield* payouts.ofPayee(driver(), 10), [])
      }))

    it.effect("malformed ids name nothing: no run, no payout, no run's or payee's payouts, no lock; writing one is refused", () =>
      Effect.gen(function*() {
        const payouts = yield* PayoutRepository
        const transactional = yield* Transactional
        const run = yield* withRun(gatewayRun())
        for (const id of malformed) {
          assert.isTrue(Option.isNone(yield* payouts.findRun(id)))
          assert.isTrue(Option.isNone(yield* payouts.findById(id)))
          assert.isTrue(Option.isNone(yield* transactional.run(payouts.lock(id))))
          assert.deepStrictEqual(yield* payouts.ofRun(id), [])
          assert.deepStrictEqual(yield* payouts.ofPayee({ kind: "provider", id }, 10), [])
          assert.strictEqual((yield* Effect.flip(payouts.createRun({ ...gatewayRun(), id })))._tag, "EarningsUnavailable")
          assert.strictEqual((yield* Effect.flip(payouts.create(payoutOf(run, { kind: "driver", id }))))._tag, "EarningsUnavailable")
          assert.strictEqual((yield* Effect.flip(payouts.create(payoutOf(run, driver(), { id }))))._tag, "EarningsUnavailable")
        }
        // A payout of no run is refused too.
        const orphan = payoutOf(gatewayRun(), driver())
        assert.strictEqual((yield* Effect.flip(payouts.create(orphan)))._tag, "EarningsUnavailable")
        assert.isTrue(Option.isNone(yield* payouts.findById(orphan.id)))
      }))

    it.effect("lock inside a transaction returns the payout as stored; none for an unknown id", () =>
      Effect.gen(function*() {
        const payouts = yield* PayoutRepository
        const transactional = yield* Transactional
        const payout = payoutOf(yield* withRun(gatewayRun()), provider())
        yield* payouts.create(payout)
        const locked = yield* transactional.run(Effect.gen(function*() {
          const found = yield* payouts.lock(payout.id)
          // What a step does under the lock: change it, in the same transaction.
          yield* payouts.update(payout.id, { status: "sending", gateway: "wave", attempts: 1, updatedAt: new Date(Date.UTC(2026, 10, 7)) })
          return found
        }))
        assert.deepStrictEqual(locked, Option.some(payout))
        assert.strictEqual(Option.getOrThrow(yield* payouts.findById(payout.id)).status, "sending")
        assert.isTrue(Option.isNone(yield* transactional.run(payouts.lock(nextId()))))
      }))

    it.effect("a failed Transactional run writes nothing: no run, no payout, no change, and the payee is not held open", () =>
      Effect.gen(function*() {
        const payouts = yield* PayoutRepository
        const transactional = yield* Transactional
        const payee = provider()
        const run = gatewayRun()
        const payout = payoutOf(run, payee)
        const failed = yield* Effect.flip(transactional.run(Effect.gen(function*() {
          yield* payouts.createRun(run)
          yield* payouts.create(payout)
          return yield* Effect.fail("refused" as const)
        })))
        assert.strictEqual(failed, "refused")
        assert.isTrue(Option.isNone(yield* payouts.findRun(run.id)))
        assert.isTrue(Option.isNone(yield* payouts.findById(payout.id)))
        assert.deepStrictEqual(yield* payouts.ofPayee(payee, 10), [])
        // A PayoutAlreadyOpen inside a run fails it whole (the run's ledger post with it).
        yield* payouts.createRun(run)
        yield* payouts.create(payout)
        const again = payoutOf(run, payee)
        const beside = payoutOf(run, driver())
        assert.strictEqual((yield* Effect.flip(transactional.run(Effect.andThen(payouts.create(beside), payouts.create(again)))))._tag, "PayoutAlreadyOpen")
        assert.isTrue(Option.isNone(yield* payouts.findById(beside.id)))
        // An update rolled back keeps what was there.
        assert.strictEqual(yield* Effect.flip(transactional.run(Effect.andThen(payouts.update(payout.id, { status: "succeeded", updatedAt: new Date() }), Effect.fail("refused" as const)))), "refused")
        assert.deepStrictEqual(yield* payouts.findById(payout.id), Option.some(payout))
      }))
  })
