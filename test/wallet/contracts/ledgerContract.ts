import { assert, layer, type Vitest } from "@effect/vitest"
import fc from "fast-check"
import { Effect, type Layer, Option, Result, Stream } from "effect"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import type { NewDomainEvent } from "@nelo/domain/events/DomainEvent"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import { type Account, type Freeze, type Gateway, mustStayNonNegative } from "@nelo/domain/wallet/Account"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { LimitExceeded, WalletFrozen } from "@nelo/domain/wallet/errors"
import { fanOutSince, newReceivers } from "@nelo/domain/wallet/fanOut"
import { Ledger, type LedgerFacts, type LockedState, type PostRequest } from "@nelo/domain/wallet/Ledger"
import { InsufficientFunds, reversingPostings } from "@nelo/domain/wallet/ledgerRules"
import type { LedgerTransaction, Posting, TransactionType } from "@nelo/domain/wallet/LedgerTransaction"
import { makeEvent } from "../../events/contracts/outboxStoreContract.ts"
import { xof } from "@nelo/domain/shared/Xof"

let lastIdMs = 0
/** UUIDv7 strictly increasing even within one millisecond: histories read newest first by id. */
export const nextId = () => {
  lastIdMs = Math.max(Date.now(), lastIdMs + 1)
  return uuidV7(lastIdMs)
}

export const makeTransaction = (type: TransactionType, postings: ReadonlyArray<Posting>, overrides: Partial<LedgerTransaction> = {}): LedgerTransaction => {
  const id = overrides.id ?? nextId()
  return {
    id,
    type,
    idempotencyKey: `contract:${id}`,
    postings,
    cause: { kind: "system", id: "ledger-contract" },
    reversesId: null,
    note: null,
    reference: null,
    createdAt: new Date(),
    ...overrides
  }
}

const request = <E = never>(transaction: LedgerTransaction, extra: Omit<PostRequest<E>, "transaction"> = {}): PostRequest<E> => ({
  transaction,
  ...extra
})

/**
 * A post and its events in one Transactional run, as the use cases write them: the events are
 * appended only when the transaction was written now (not for a replay), and not at all when the
 * post is refused.
 */
const postWithEvents = <E>(post: PostRequest<E>, events: ReadonlyArray<NewDomainEvent>) =>
  Effect.gen(function*() {
    const [ledger, outbox, transactional] = [yield* Ledger, yield* OutboxStore, yield* Transactional]
    return yield* transactional.run(Effect.tap(ledger.post(post), (posted) => posted.replayed ? Effect.void : outbox.append(events)))
  })

/** A freeze change and its events in one Transactional run, events only when it changed something. */
const setFreezeWithEvents = (accountId: string, change: Parameters<Ledger["Service"]["setFreeze"]>[1], events: ReadonlyArray<NewDomainEvent>) =>
  Effect.gen(function*() {
    const [ledger, outbox, transactional] = [yield* Ledger, yield* OutboxStore, yield* Transactional]
    return yield* transactional.run(Effect.tap(ledger.setFreeze(accountId, change), (changed) => changed ? outbox.append(events) : Effect.void))
  })

const moving = (from: Account, to: Account, amountXof: number): ReadonlyArray<Posting> => [
  { accountId: from.id, amountXof: xof(-amountXof) },
  { accountId: to.id, amountXof: xof(amountXof) }
]

const openWallets = (count: number) => Ledger.use((ledger) => Effect.forEach(Array.from({ length: count }), () => ledger.walletOf(nextId())))

const topUp = (wallet: Account, amountXof: number, gateway: Gateway = "wave", createdAt = new Date()) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    return yield* ledger.post(request(makeTransaction("topup", moving(yield* ledger.clearingOf(gateway), wallet, amountXof), { createdAt })))
  })

const transfer = (from: Account, to: Account, amountXof: number, overrides: Partial<LedgerTransaction> = {}) =>
  Ledger.use((ledger) => ledger.post(request(makeTransaction("transfer", moving(from, to, amountXof), overrides))))

const balanceOf = (account: Account) => Ledger.use((ledger) => Effect.map(ledger.stateOf(account.id), (state) => state.balanceXof))

/** Ids of the events waiting in the outbox (read without marking them relayed). */
const pendingEventIds = Effect.gen(function*() {
  const ids = yield* (yield* OutboxStore).withClaim(100_000, (batch) => Effect.succeed(batch.events.map((event) => event.id)))
  return new Set(ids ?? [])
})

const freezeBy = (reason: string): Freeze => ({ reason, causedBy: { kind: "admin", id: nextId() }, at: new Date(Math.floor(Date.now() / 1000) * 1000) })

/** What every ledger must satisfy at any instant, whatever happened before. */
export const assertLedgerHolds = (facts: LedgerFacts) => {
  let total = 0n
  for (const { account, postedSumXof, storedBalanceXof } of facts.accounts) {
    total += BigInt(storedBalanceXof)
    assert.strictEqual(storedBalanceXof, postedSumXof, `the balance of ${account.kind} ${account.id} is the sum of its postings`)
    if (mustStayNonNegative(account.kind)) assert.isAtLeast(storedBalanceXof, 0, `${account.kind} ${account.id} is not negative`)
  }
  assert.strictEqual(total, 0n, "all balances sum to zero")
  assert.deepStrictEqual(facts.unbalancedTransactions, [])
  assert.deepStrictEqual(facts.duplicateIdempotencyKeys, [])
  assert.deepStrictEqual(facts.brokenReversals, [])
}

/** What people do with wallets, for the property: indexes pick among the run's 4 wallets. */
const command = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("topup" as const), to: fc.nat(3), amountXof: fc.integer({ min: 1, max: 50_000 }), gateway: fc.constantFrom<Gateway>("wave", "cinetpay") }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("transfer" as const), from: fc.nat(3), to: fc.nat(3), amountXof: fc.integer({ min: 1, max: 30_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reversal" as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replay" as const), index: fc.nat(), amountXof: fc.integer({ min: 1, max: 60_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("freeze" as const), wallet: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("unfreeze" as const), wallet: fc.nat(3) }) }
)
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never

/**
 * One sequence of commands against the ledger, checked against a model of the run's 4 wallets: each
 * post succeeds, replays or is refused exactly when the model says so, and the balances follow.
 */
const runSequence = (commands: ReadonlyArray<Command>) =>
  Effect.gen(function*() {
    const ledger = yield* Ledger
    const wallets = yield* openWallets(4)
    const model = new Map(wallets.map((wallet) => [wallet.id, { balanceXof: 0, frozen: false }]))
    const written: Array<LedgerTransaction> = []
    const reversed = new Set<string>()
    const countBefore = (yield* ledger.facts).transactionCount
    // Frozen wallets neither send nor receive (the transfer's rule in the domain).
    const frozenGuard = (state: LockedState) => [...state.accounts.values()].some((locked) => locked.freeze !== null) ? new WalletFrozen({ side: "own" }) : undefined
    const applyToModel = (postings: ReadonlyArray<Posting>) => {
      for (const posting of postings) {
        const wallet = model.get(posting.accountId)
        if (wallet !== undefined) wallet.balanceXof += posting.amountXof
      }
    }
    const wouldGoNegative = (postings: ReadonlyArray<Posting>) => postings.some((posting) => (model.get(posting.accountId)?.balanceXof ?? 0) + posting.amountXof < 0)

    for (const step of commands) {
      if (step.kind === "topup") {
        const posted = yield* topUp(wallets[step.to]!, step.amountXof, step.gateway)
        assert.isFalse(posted.replayed)
        written.push(posted.transaction)
        applyToModel(posted.transaction.postings)
      } else if (step.kind === "transfer") {
        if (step.from === step.to) continue
        const postings = moving(wallets[step.from]!, wallets[step.to]!, step.amountXof)
        const outcome = yield* Effect.result(postWithEvents(request(makeTransaction("transfer", postings), { guard: frozenGuard }), [makeEvent(wallets[step.from]!.id)]))
        const frozen = model.get(wallets[step.from]!.id)!.frozen || model.get(wallets[step.to]!.id)!.frozen
        if (frozen) assert.strictEqual(Result.isFailure(outcome) && outcome.failure._tag, "WalletFrozen")
        else if (wouldGoNegative(postings)) assert.strictEqual(Result.isFailure(outcome) && outcome.failure._tag, "InsufficientFunds")
        else {
          assert.isTrue(Result.isSuccess(outcome) && !outcome.success.replayed)
          written.push(Result.getOrThrow(outcome).transaction)
          applyToModel(postings)
        }
      } else if (step.kind === "reversal") {
        const originals = written.filter((transaction) => transaction.type !== "reversal")
        if (originals.length === 0) continue
        const original = originals[step.index % originals.length]!
        const postings = reversingPostings(original)
        // Keyed on the original, as the domain's reverseTransaction does: a second one replays.
        const outcome = yield* Effect.result(ledger.post(request(makeTransaction("reversal", postings, { reversesId: original.id, idempotencyKey: `reversal:${original.id}` }))))
        if (reversed.has(original.id)) assert.isTrue(Result.isSuccess(outcome) && outcome.success.replayed)
        else if (wouldGoNegative(postings)) assert.strictEqual(Result.isFailure(outcome) && outcome.failure._tag, "InsufficientFunds")
        else {
          assert.isTrue(Result.isSuccess(outcome) && !outcome.success.replayed)
          written.push(Result.getOrThrow(outcome).transaction)
          reversed.add(original.id)
          applyToModel(postings)
        }
      } else if (step.kind === "replay") {
        if (written.length === 0) continue
        const first = written[step.index % written.length]!
        // Same key, another id and amount: the first transaction stands, nothing moves.
        const again = makeTransaction(first.type, first.postings.map((posting) => ({ accountId: posting.accountId, amountXof: xof(Math.sign(posting.amountXof) * step.amountXof) })), {
          idempotencyKey: first.idempotencyKey,
          reversesId: first.reversesId
        })
        const posted = yield* postWithEvents(request(again), [makeEvent("replayed")])
        assert.isTrue(posted.replayed)
        assert.strictEqual(posted.transaction.id, first.id)
      } else {
        const wallet = model.get(wallets[step.wallet]!.id)!
        const freezing = step.kind === "freeze"
        const change = freezing ? { freeze: freezeBy("property") } : { unfreeze: freezeBy("property") }
        assert.strictEqual(yield* ledger.setFreeze(wallets[step.wallet]!.id, change), wallet.frozen !== freezing)
        wallet.frozen = freezing
      }
    }

    const facts = yield* ledger.facts
    assertLedgerHolds(facts)
    assert.strictEqual(facts.transactionCount, countBefore + written.length, "one transaction per successful post, none per replay")
    for (const wallet of wallets) assert.strictEqual(yield* balanceOf(wallet), model.get(wallet.id)!.balanceXof)
  })

/**
 * One suite, run against every Ledger adapter, each with an outbox of its own that starts empty (its
 * events are checked) and a ledger no other suite writes to (`facts` covers everything).
 * `storeTests` adds what only one adapter can show (the database's own refusals).
 */
export const ledgerContract = <R = never>(
  name: string,
  ledgerLayer: Layer.Layer<Ledger | OutboxStore | Transactional | R, unknown>,
  options: { readonly propertyRuns: number; readonly storeTests?: (it: Vitest.MethodsNonLive<Ledger | OutboxStore | Transactional | R>) => void }
) =>
  layer(ledgerLayer, { excludeTestServices: true })(`Ledger contract: ${name}`, (it) => {
    it.effect("opens one wallet per user, one revenue account and one clearing account per gateway", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const userId = nextId()
        assert.isTrue(Option.isNone(yield* ledger.findWallet(userId)))
        const [first, second] = yield* Effect.all([ledger.walletOf(userId), ledger.walletOf(userId)], { concurrency: "unbounded" })
        assert.deepStrictEqual(first, { id: first.id, kind: "customer_wallet", ownerId: userId, gateway: null })
        assert.deepStrictEqual(second, first)
        assert.deepStrictEqual(yield* ledger.findWallet(userId), Option.some(first))
        assert.isTrue(Option.isNone(yield* ledger.findWallet("not-a-uuid")))
        const revenue = yield* ledger.platformRevenue
        assert.deepStrictEqual(yield* ledger.platformRevenue, revenue)
        assert.strictEqual(revenue.kind, "platform_revenue")
        const wave = yield* ledger.clearingOf("wave")
        const cinetpay = yield* ledger.clearingOf("cinetpay")
        assert.deepStrictEqual([wave.kind, wave.gateway, cinetpay.gateway], ["gateway_clearing", "wave", "cinetpay"])
        assert.notStrictEqual(wave.id, cinetpay.id)
        assert.deepStrictEqual(yield* ledger.stateOf(first.id), { account: first, balanceXof: xof(0), freeze: null, lastUnfrozenAt: null })
      }))

    it.effect("a driver's cash in hand: opened once, negative while the driver holds cash for NELO, read for many drivers at once", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [driver, other, never] = [nextId(), nextId(), nextId()]
        assert.deepStrictEqual(yield* ledger.cashHeldBy([driver]), new Map([[driver, xof(0)]]), "a new driver holds nothing")
        const [first, second] = yield* Effect.all([ledger.cashInHandOf(driver), ledger.cashInHandOf(driver)], { concurrency: "unbounded" })
        assert.deepStrictEqual(first, { id: first.id, kind: "driver_cash_in_hand", ownerId: driver, gateway: null })
        assert.deepStrictEqual(second, first)
        assert.deepStrictEqual(yield* ledger.cashInHandOf(driver), first)
        assert.notStrictEqual((yield* ledger.cashInHandOf(other)).id, first.id)
        assert.notStrictEqual((yield* ledger.walletOf(driver)).id, first.id, "a driver's wallet is another account")
        assert.deepStrictEqual(yield* ledger.cashHeldBy([driver, other]), new Map([[driver, xof(0)], [other, xof(0)]]), "opened, still empty")

        // The driver collects 8,000 F in cash for an order: owed to NELO, it may take the account below zero.
        const escrow = yield* ledger.escrowOf(nextId())
        const collected = makeTransaction("cash_collection", [{ accountId: first.id, amountXof: xof(-8_000) }, { accountId: escrow.id, amountXof: xof(8_000) }])
        assert.isFalse((yield* ledger.post(request(collected))).replayed)
        assert.strictEqual(yield* balanceOf(first), -8_000)
        assert.strictEqual(yield* balanceOf(escrow), 8_000)
        assert.deepStrictEqual(
          yield* ledger.cashHeldBy([driver, other, never, "not-a-uuid"]),
          new Map([[driver, xof(8_000)], [other, xof(0)], [never, xof(0)], ["not-a-uuid", xof(0)]]),
          "positive francs for the driver, 0 for the others, every id given a key"
        )
        assert.strictEqual((yield* ledger.cashHeldBy([])).size, 0)
        assert.deepStrictEqual(yield* ledger.cashHeldBy(["not-a-uuid"]), new Map([["not-a-uuid", xof(0)]]))

        const facts = yield* ledger.facts
        assertLedgerHolds(facts)
        assert.deepStrictEqual(
          facts.accounts.filter((entry) => entry.account.id === first.id).map((entry) => [entry.account.kind, entry.storedBalanceXof, entry.postedSumXof]),
          [["driver_cash_in_hand", -8_000, -8_000]]
        )
      }))

    it.effect("driverCashBalances: every driver whose cash in hand is not zero, with his earnings (0 without an account), in driver id order", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [holding, earning, settled, opened] = [nextId(), nextId(), nextId(), nextId()]
        const escrow = yield* ledger.escrowOf(nextId())
        const revenue = yield* ledger.platformRevenue
        const office = yield* ledger.officeCash
        const collect = (driverId: string, amountXof: number) =>
          Effect.flatMap(ledger.cashInHandOf(driverId), (cash) =>
            ledger.post(request(makeTransaction("cash_collection", [{ accountId: cash.id, amountXof: xof(-amountXof) }, { accountId: escrow.id, amountXof: xof(amountXof) }]))))
        yield* collect(holding, 7_000)
        yield* collect(earning, 3_000)
        yield* ledger.post(request(makeTransaction("commission", [{ accountId: (yield* ledger.driverEarningsOf(earning)).id, amountXof: xof(1_200) }, { accountId: revenue.id, amountXof: xof(-1_200) }])))
        // Handed in whole: back to zero, not listed; an account opened and never used, not listed.
        yield* collect(settled, 2_000)
        yield* ledger.post(request(makeTransaction("cash_collection", [{ accountId: (yield* ledger.cashInHandOf(settled)).id, amountXof: xof(2_000) }, { accountId: office.id, amountXof: xof(-2_000) }])))
        yield* ledger.cashInHandOf(opened)
        const mine = new Set([holding, earning, settled, opened])
        const balances = (yield* ledger.driverCashBalances).filter((balance) => mine.has(balance.driverId))
        assert.deepStrictEqual(balances, [
          { driverId: holding, cashInHandXof: xof(-7_000), earningsXof: xof(0) },
          { driverId: earning, cashInHandXof: xof(-3_000), earningsXof: xof(1_200) }
        ].sort((left, right) => left.driverId < right.driverId ? -1 : 1))
        const all = (yield* ledger.driverCashBalances).map((balance) => balance.driverId)
        assert.deepStrictEqual(all, [...all].sort(), "in driver id order")
        // A driver's collections and remittances read back newest first, as the report walks them.
        const history = yield* ledger.history({ accountId: (yield* ledger.cashInHandOf(settled)).id, beforeId: null, types: ["cash_collection"], limit: 10 })
        assert.deepStrictEqual(history.map((entry) => entry.amountXof), [2_000, -2_000])
        assertLedgerHolds(yield* ledger.facts)
      }))

    it.effect("a provider's and a driver's earnings: one account each, opened once, apart from their other accounts; they may go below zero, the escrow may not", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [provider, driver] = [nextId(), nextId()]
        const [first, second] = yield* Effect.all([ledger.providerEarningsOf(provider), ledger.providerEarningsOf(provider)], { concurrency: "unbounded" })
        assert.deepStrictEqual(first, { id: first.id, kind: "provider_earnings", ownerId: provider, gateway: null })
        assert.deepStrictEqual(second, first)
        const driverEarnings = yield* ledger.driverEarningsOf(driver)
        assert.deepStrictEqual(driverEarnings, { id: driverEarnings.id, kind: "driver_earnings", ownerId: driver, gateway: null })
        assert.deepStrictEqual(yield* ledger.driverEarningsOf(driver), driverEarnings)
        const others = [yield* ledger.escrowOf(provider), yield* ledger.driverEarningsOf(provider), yield* ledger.providerEarningsOf(driver), yield* ledger.cashInHandOf(driver), yield* ledger.walletOf(driver)]
        assert.strictEqual(new Set([first.id, driverEarnings.id, ...others.map((account) => account.id)]).size, 7, "every kind of account its own, per owner")

        // A refund charged after settlement: the earnings go below zero, recovered from later ones.
        const revenue = yield* ledger.platformRevenue
        const charged = makeTransaction("refund", [{ accountId: first.id, amountXof: xof(-1_200) }, { accountId: driverEarnings.id, amountXof: xof(-300) }, { accountId: revenue.id, amountXof: xof(1_500) }])
        assert.isFalse((yield* ledger.post(request(charged))).replayed)
        assert.deepStrictEqual([yield* balanceOf(first), yield* balanceOf(driverEarnings)], [-1_200, -300])
        // The escrow keeps its floor.
        const escrow = others[0]!
        const short = yield* Effect.flip(ledger.post(request(makeTransaction("refund", [{ accountId: escrow.id, amountXof: xof(-1) }, { accountId: revenue.id, amountXof: xof(1) }]))))
        assert.strictEqual(short._tag, "InsufficientFunds")
        assertLedgerHolds(yield* ledger.facts)
      }))

    it.effect("earningsToPay: providers' and drivers' earnings at or over the minimum only, in id order, with their balance at an instant and the commissions counted in [countFrom, at]", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const revenue = yield* ledger.platformRevenue
        const day = (date: number, hour = 12) => new Date(Date.UTC(2026, 9, date, hour))
        const earn = (account: Account, type: TransactionType, amountXof: number, createdAt: Date) =>
          ledger.post(request(makeTransaction(type, moving(revenue, account, amountXof), { createdAt })))
        const [providerId, driverId, lowId, userId] = [nextId(), nextId(), nextId(), nextId()]
        const provider = yield* ledger.providerEarningsOf(providerId)
        const driver = yield* ledger.driverEarningsOf(driverId)
        const low = yield* ledger.providerEarningsOf(lowId)
        const [countFrom, at] = [day(2, 0), day(4, 0)]
        yield* earn(provider, "commission", 3_000, day(1)) // before the period: in the balance at `at`, not counted
        yield* earn(provider, "commission", 4_000, countFrom) // from its very first instant: counted
        yield* earn(provider, "refund", -500, day(3)) // not a commission: not counted
        yield* earn(provider, "commission", 700, at) // at its last instant: counted
        yield* earn(provider, "commission", 1_000, day(5)) // after `at`: in today's balance only
        yield* earn(driver, "commission", 6_000, day(2, 12))
        yield* earn(driver, "payout", -1_000, day(3)) // exactly the minimum left
        yield* earn(low, "commission", 4_999, day(2, 12)) // under the minimum
        // Not earnings, however much they hold: a wallet, an escrow.
        const wallet = yield* ledger.walletOf(userId)
        yield* topUp(wallet, 50_000, "wave", day(2, 12))
        const escrow = yield* ledger.escrowOf(providerId)
        yield* ledger.post(request(makeTransaction("payment", moving(wallet, escrow, 20_000), { createdAt: day(2, 13) })))
        const mine = new Set([provider.id, driver.id, low.id, wallet.id, escrow.id])
        const ofMine = (query: Parameters<Ledger["Service"]["earningsToPay"]>[0]) =>
          Effect.map(ledger.earningsToPay(query), (all) => {
            assert.deepStrictEqual(all.map((entry) => entry.account.id), all.map((entry) => entry.account.id).sort(), "in id order")
            assert.isTrue(all.every((entry) => (entry.account.kind === "provider_earnings" || entry.account.kind === "driver_earnings") && entry.balanceXof >= 5_000))
            return all.filter((entry) => mine.has(entry.account.id))
          })
        const byId = <A extends { readonly account: Account }>(entries: ReadonlyArray<A>) => [...entries].sort((left, right) => left.account.id < right.account.id ? -1 : 1)
        assert.deepStrictEqual(yield* ofMine({ minimumXof: xof(5_000), at, countFrom }), byId([
          { account: provider, balanceXof: xof(8_200), balanceAtXof: xof(7_200), settlementCount: 2 },
          { account: driver, balanceXof: xof(5_000), balanceAtXof: xof(5_000), settlementCount: 1 }
        ]))
        // Without an instant: the balance now; without countFrom: nothing counted.
        assert.deepStrictEqual(yield* ofMine({ minimumXof: xof(5_000), at: null, countFrom: null }), byId([
          { account: provider, balanceXof: xof(8_200), balanceAtXof: xof(8_200), settlementCount: 0 },
          { account: driver, balanceXof: xof(5_000), balanceAtXof: xof(5_000), settlementCount: 0 }
        ]))
        // The minimum is on today's balance; an instant before every posting holds nothing yet.
        assert.deepStrictEqual(yield* ofMine({ minimumXof: xof(8_201), at: day(1, 0), countFrom: day(1, 0) }), [])
        assert.deepStrictEqual(yield* ofMine({ minimumXof: xof(8_200), at: day(1, 0), countFrom: day(1, 0) }), [{ account: provider, balanceXof: xof(8_200), balanceAtXof: xof(0), settlementCount: 0 }])
        assertLedgerHolds(yield* ledger.facts)
      }))

    it.effect("a transfer moves both balances and shows in both histories, with the counterparty", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [awa, kofi] = yield* openWallets(2)
        const funding = yield* topUp(awa!, 10_000)
        const sent = makeTransaction("transfer", moving(awa!, kofi!, 2_500), { note: "loyer", cause: { kind: "user", id: awa!.ownerId! } })
        const posted = yield* ledger.post(request(sent))
        assert.deepStrictEqual(posted, { transaction: sent, replayed: false })
        assert.strictEqual(yield* balanceOf(awa!), 7_500)
        assert.strictEqual(yield* balanceOf(kofi!), 2_500)
        assert.deepStrictEqual(yield* ledger.findTransaction(sent.id), Option.some(sent))
        assert.deepStrictEqual(yield* ledger.findTransaction(sent.id.toUpperCase()), Option.some(sent))
        assert.isTrue(Option.isNone(yield* ledger.findTransaction("not-a-uuid")))
        assert.isTrue(Option.isNone(yield* ledger.findTransaction(nextId())))

        const awaHistory = yield* ledger.history({ accountId: awa!.id, beforeId: null, types: null, limit: 10 })
        assert.deepStrictEqual(awaHistory, [
          { transaction: sent, amountXof: xof(-2_500), counterpartyUserId: kofi!.ownerId, reversedById: null },
          { transaction: funding.transaction, amountXof: xof(10_000), counterpartyUserId: null, reversedById: null }
        ])
        assert.deepStrictEqual(yield* ledger.history({ accountId: kofi!.id, beforeId: null, types: null, limit: 10 }), [
          { transaction: sent, amountXof: xof(2_500), counterpartyUserId: awa!.ownerId, reversedById: null }
        ])
        // Pages: strictly older than the cursor, only the types asked for, at most the limit.
        const page = (beforeId: string | null, types: ReadonlyArray<TransactionType> | null, limit: number) =>
          Effect.map(ledger.history({ accountId: awa!.id, beforeId, types, limit }), (entries) => entries.map((entry) => entry.transaction.id))
        assert.deepStrictEqual(yield* page(sent.id, null, 10), [funding.transaction.id])
        assert.deepStrictEqual(yield* page(null, ["topup"], 10), [funding.transaction.id])
        assert.deepStrictEqual(yield* page(null, ["transfer", "payment"], 10), [sent.id])
        assert.deepStrictEqual(yield* page(null, null, 1), [sent.id])
        assert.deepStrictEqual(yield* page(funding.transaction.id, null, 10), [])
        assert.deepStrictEqual(yield* page("not-a-uuid", null, 10), [])
      }))

    it.effect("a replay (same key) returns the first transaction, replayed, and changes nothing", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [awa, kofi] = yield* openWallets(2)
        yield* topUp(awa!, 5_000)
        const first = makeTransaction("transfer", moving(awa!, kofi!, 1_000))
        yield* ledger.post(request(first))
        const before = { count: (yield* ledger.facts).transactionCount, events: yield* pendingEventIds }
        const again = makeTransaction("transfer", moving(awa!, kofi!, 3_000), { idempotencyKey: first.idempotencyKey })
        const replay = yield* postWithEvents(request(again), [makeEvent(awa!.id)])
        assert.deepStrictEqual(replay, { transaction: first, replayed: true })
        assert.deepStrictEqual([yield* balanceOf(awa!), yield* balanceOf(kofi!)], [4_000, 1_000])
        assert.strictEqual((yield* ledger.facts).transactionCount, before.count)
        assert.deepStrictEqual(yield* pendingEventIds, before.events)
        assert.isTrue(Option.isNone(yield* ledger.findTransaction(again.id)))
      }))

    it.effect("50 concurrent posts under one key write one transaction and one set of events; the others are replays, not refusals", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [awa, kofi] = yield* openWallets(2)
        // Exactly the amount: a retry that came second must answer with the transfer, not "insufficient funds".
        yield* topUp(awa!, 100)
        const before = { count: (yield* ledger.facts).transactionCount, events: yield* pendingEventIds }
        const key = `concurrent:${nextId()}`
        const results = yield* Effect.forEach(Array.from({ length: 50 }), () =>
          postWithEvents(request(makeTransaction("transfer", moving(awa!, kofi!, 100), { idempotencyKey: key })), [makeEvent(awa!.id)]), { concurrency: "unbounded" })
        assert.strictEqual(results.filter((posted) => !posted.replayed).length, 1)
        assert.strictEqual(new Set(results.map((posted) => posted.transaction.id)).size, 1)
        assert.deepStrictEqual([yield* balanceOf(awa!), yield* balanceOf(kofi!)], [0, 100])
        assert.strictEqual((yield* ledger.facts).transactionCount, before.count + 1)
        assert.strictEqual((yield* pendingEventIds).size, before.events.size + 1)
      }))

    it.effect("a guard's refusal and InsufficientFunds write nothing: balances, history, outbox unchanged", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [awa, kofi] = yield* openWallets(2)
        yield* topUp(awa!, 1_000)
        const snapshot = Effect.gen(function*() {
          return {
            balances: [yield* balanceOf(awa!), yield* balanceOf(kofi!)],
            history: yield* ledger.history({ accountId: awa!.id, beforeId: null, types: null, limit: 50 }),
            events: yield* pendingEventIds,
            count: (yield* ledger.facts).transactionCount
          }
        })
        const before = yield* snapshot
        const refused = makeTransaction("transfer", moving(awa!, kofi!, 500))
        const limit = new LimitExceeded({ period: "day", limitXof: xof(400), remainingXof: xof(400) })
        const refusal = yield* Effect.flip(postWithEvents(request(refused, { guard: () => limit }), [makeEvent(awa!.id)]))
        assert.strictEqual(refusal, limit)
        const tooMuch = makeTransaction("transfer", moving(awa!, kofi!, 5_000))
        const insufficient = yield* Effect.flip(postWithEvents(request(tooMuch), [makeEvent(awa!.id)]))
        assert.deepStrictEqual(insufficient, new InsufficientFunds({ accountId: awa!.id, balanceXof: xof(1_000), missingXof: xof(4_000) }))
        assert.deepStrictEqual(yield* snapshot, before)
        assert.isTrue(Option.isNone(yield* ledger.findTransaction(refused.id)))
        // A refused key is not taken: the same request, allowed, goes through.
        assert.isFalse((yield* ledger.post(request({ ...refused, id: nextId() }))).replayed)
        assert.strictEqual(yield* balanceOf(awa!), 500)
      }))

    it.effect("the guard sees every account locked, their freezes, and the outflow of the day and of the month", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [awa, kofi] = yield* openWallets(2)
        const revenue = yield* ledger.platformRevenue
        const monthStart = new Date("2026-01-01T00:00:00Z")
        const dayStart = new Date("2026-01-20T00:00:00Z")
        yield* topUp(awa!, 100_000, "wave", new Date("2025-12-01T00:00:00Z"))
        yield* transfer(awa!, kofi!, 100, { createdAt: new Date("2025-12-31T23:59:59Z") }) // last month
        yield* transfer(awa!, kofi!, 200, { createdAt: new Date("2026-01-05T10:00:00Z") }) // this month
        yield* ledger.post(request(makeTransaction("payment", moving(awa!, revenue, 300), { createdAt: new Date("2026-01-20T08:00:00Z") }))) // today
        yield* transfer(awa!, kofi!, 400, { createdAt: dayStart }) // today, at the first instant
        yield* transfer(kofi!, awa!, 50, { createdAt: new Date("2026-01-20T09:00:00Z") }) // received: not an outflow
        const lateTopup = (yield* topUp(awa!, 1_000, "wave", new Date("2026-01-20T09:30:00Z"))).transaction // a top-up: not an outflow
        // Its reversal takes money out of the wallet, but is no spending: not an outflow either.
        yield* ledger.post(request(makeTransaction("reversal", reversingPostings(lateTopup), { reversesId: lateTopup.id, createdAt: new Date("2026-01-20T09:45:00Z") })))
        assert.deepStrictEqual(yield* ledger.outflowSince(awa!.id, [dayStart, monthStart]), [xof(700), xof(900)])

        const freeze = freezeBy("fraude suspectée")
        assert.isTrue(yield* ledger.setFreeze(kofi!.id, { freeze }))
        let seen: LockedState | undefined
        const blocked = makeTransaction("transfer", moving(awa!, kofi!, 10))
        const refusal = yield* Effect.flip(ledger.post(request(blocked, {
          reads: () => ({ outflowSince: { accountId: awa!.id, since: [dayStart, monthStart] } }),
          guard: (state) => {
            seen = state
            return state.accounts.get(kofi!.id)?.freeze ? new WalletFrozen({ side: "receiver" }) : undefined
          }
        })))
        assert.deepStrictEqual(refusal, new WalletFrozen({ side: "receiver" }))
        assert.deepStrictEqual(seen?.outflowSinceXof, [xof(700), xof(900)])
        assert.deepStrictEqual(seen?.accounts.get(awa!.id), { account: awa!, balanceXof: xof(100_000 - 1_000 + 50), freeze: null, lastUnfrozenAt: null })
        assert.deepStrictEqual(seen?.accounts.get(kofi!.id), { account: kofi!, balanceXof: xof(700 - 50), freeze, lastUnfrozenAt: null })
        assert.strictEqual(seen?.accounts.size, 2)
        assert.deepStrictEqual((yield* ledger.stateOf(kofi!.id)).freeze, freeze)
      }))

    it.effect("200 concurrent transfers among 5 wallets, both ways: no deadlock, no lost update, every invariant holds", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const wallets = yield* openWallets(5)
        for (const wallet of wallets) yield* topUp(wallet, 100_000)
        const pairs = fc.sample(fc.record({ from: fc.nat(4), offset: fc.integer({ min: 1, max: 4 }), amountXof: fc.integer({ min: 1, max: 40_000 }) }), 100)
          .map(({ amountXof, from, offset }) => ({ from, to: (from + offset) % 5, amountXof }))
        // The second half reverses the first: opposite transfers between the same wallets race.
        const transfers = [...pairs, ...pairs.map(({ amountXof, from, to }) => ({ from: to, to: from, amountXof }))]
        const outcomes = yield* Effect.forEach(
          transfers,
          ({ amountXof, from, to }) => Effect.result(transfer(wallets[from]!, wallets[to]!, amountXof)),
          { concurrency: "unbounded" }
        )
        const expected = new Map(wallets.map((wallet) => [wallet.id, 100_000]))
        for (const outcome of outcomes) {
          if (Result.isFailure(outcome)) {
            assert.strictEqual(outcome.failure._tag, "InsufficientFunds", String(outcome.failure))
            continue
          }
          assert.isFalse(outcome.success.replayed)
          for (const posting of outcome.success.transaction.postings) expected.set(posting.accountId, expected.get(posting.accountId)! + posting.amountXof)
        }
        assert.isAbove(outcomes.filter(Result.isSuccess).length, 0)
        for (const wallet of wallets) assert.strictEqual(yield* balanceOf(wallet), expected.get(wallet.id))
        assertLedgerHolds(yield* ledger.facts)
      }), 60_000)

    it.effect("a reversal cancels its original once; history links them; a second reversal is refused", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [awa, kofi] = yield* openWallets(2)
        yield* topUp(awa!, 1_000)
        const sent = (yield* transfer(awa!, kofi!, 300)).transaction
        assert.isTrue(Option.isNone(yield* ledger.reversalOf(sent.id)))
        const reversal = makeTransaction("reversal", reversingPostings(sent), { reversesId: sent.id, idempotencyKey: `reversal:${sent.id}` })
        assert.isFalse((yield* ledger.post(request(reversal))).replayed)
        assert.deepStrictEqual([yield* balanceOf(awa!), yield* balanceOf(kofi!)], [1_000, 0])
        assert.deepStrictEqual(yield* ledger.reversalOf(sent.id), Option.some(reversal))
        assert.isTrue(Option.isNone(yield* ledger.reversalOf("not-a-uuid")))
        const history = yield* ledger.history({ accountId: kofi!.id, beforeId: null, types: null, limit: 10 })
        assert.deepStrictEqual(history.map((entry) => [entry.transaction.id, entry.amountXof, entry.reversedById]), [
          [reversal.id, -300, null],
          [sent.id, 300, reversal.id]
        ])

        // Funded, so that only the store's own rule can refuse them (not the balance rule).
        yield* topUp(kofi!, 1_000)
        const count = (yield* ledger.facts).transactionCount
        const secondReversal = makeTransaction("reversal", reversingPostings(sent), { reversesId: sent.id })
        assert.strictEqual((yield* Effect.flip(ledger.post(request(secondReversal))))._tag, "LedgerUnavailable")
        const ofNothing = makeTransaction("reversal", moving(kofi!, awa!, 1), { reversesId: nextId() })
        assert.strictEqual((yield* Effect.flip(ledger.post(request(ofNothing))))._tag, "LedgerUnavailable")
        assert.strictEqual((yield* ledger.facts).transactionCount, count)
        assert.deepStrictEqual([yield* balanceOf(awa!), yield* balanceOf(kofi!)], [1_000, 1_000])
        assertLedgerHolds(yield* ledger.facts)
      }))

    it.effect("setFreeze changes the state once: the second identical call answers false and writes no event", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [awa] = yield* openWallets(1)
        const freeze = freezeBy("trop de destinataires")
        const frozenEvent = makeEvent(awa!.id, "wallet.frozen")
        const before = yield* pendingEventIds
        assert.isTrue(yield* setFreezeWithEvents(awa!.id, { freeze }, [frozenEvent]))
        assert.deepStrictEqual((yield* ledger.stateOf(awa!.id)).freeze, freeze)
        assert.isFalse(yield* setFreezeWithEvents(awa!.id, { freeze: freezeBy("encore") }, [makeEvent(awa!.id, "wallet.frozen")]))
        assert.deepStrictEqual((yield* ledger.stateOf(awa!.id)).freeze, freeze, "the first reason stands")
        assert.deepStrictEqual(yield* pendingEventIds, new Set([...before, frozenEvent.id]))

        const unfrozenEvent = makeEvent(awa!.id, "wallet.unfrozen")
        assert.isTrue(yield* setFreezeWithEvents(awa!.id, { unfreeze: freezeBy("vérifié") }, [unfrozenEvent]))
        assert.isNull((yield* ledger.stateOf(awa!.id)).freeze)
        assert.isFalse(yield* setFreezeWithEvents(awa!.id, { unfreeze: freezeBy("vérifié") }, [makeEvent(awa!.id)]))
        assert.deepStrictEqual(yield* pendingEventIds, new Set([...before, frozenEvent.id, unfrozenEvent.id]))
        assert.isFalse(yield* ledger.setFreeze("not-a-uuid", { freeze }))
      }))

    it.effect("a fan-out window shows the guard the customers first paid since then, this receiver included when new; not those paid before", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [awa, kofi, aya, yao, ama, adjoua] = yield* openWallets(6)
        const now = Date.now()
        const minutesAgo = (minutes: number) => new Date(now - minutes * 60_000)
        yield* topUp(awa!, 10_000, "wave", minutesAgo(180))
        yield* topUp(ama!, 10_000, "wave", minutesAgo(180))
        yield* topUp(kofi!, 10_000, "wave", minutesAgo(180))
        yield* transfer(awa!, kofi!, 100, { createdAt: minutesAgo(120) })
        yield* transfer(awa!, aya!, 100, { createdAt: minutesAgo(30) })
        yield* transfer(awa!, kofi!, 100, { createdAt: minutesAgo(10) }) // paid before the hour: not new
        yield* transfer(awa!, yao!, 100, { createdAt: minutesAgo(5) })
        yield* transfer(awa!, yao!, 100, { createdAt: minutesAgo(4) }) // the same one twice: counted once
        yield* transfer(ama!, awa!, 100, { createdAt: minutesAgo(3) }) // received, not sent
        yield* ledger.post(request(makeTransaction("payment", moving(awa!, yield* ledger.platformRevenue, 100), { createdAt: minutesAgo(2) })))
        // The fan-out count the transfer's rule computes from the reads under the locks (the window
        // from the sender's last unfreeze when later); the guard refuses, so nothing is written.
        const seen = (from: Account, to: Account, since: Date) =>
          Effect.gen(function*() {
            let counted: number | null = null
            yield* Effect.flip(ledger.post(request(makeTransaction("transfer", moving(from, to, 1)), {
              reads: (accounts) => ({
                receiversFirstPaidSince: { senderAccountId: from.id, since: fanOutSince(since, accounts.get(from.id)?.lastUnfrozenAt ?? null) },
                paidBefore: { senderAccountId: from.id, receiverAccountId: to.id }
              }),
              guard: (state) => {
                counted = newReceivers(state.receiversFirstPaidSince!, state.paidBefore!)
                return new WalletFrozen({ side: "own" })
              }
            })))
            return counted
          })
        assert.strictEqual(yield* seen(awa!, kofi!, minutesAgo(60)), 2, "aya and yao; kofi was paid before")
        assert.strictEqual(yield* seen(awa!, adjoua!, minutesAgo(60)), 3, "and adjoua, never paid")
        assert.strictEqual(yield* seen(awa!, kofi!, minutesAgo(150)), 3)
        assert.strictEqual(yield* seen(awa!, yao!, minutesAgo(1)), 0)
        assert.strictEqual(yield* seen(awa!, adjoua!, minutesAgo(1)), 1)
        assert.strictEqual(yield* seen(ama!, aya!, minutesAgo(60)), 2, "awa, and aya now")
        assert.strictEqual(yield* seen(kofi!, aya!, minutesAgo(600)), 1)
        // After an unfreeze the count starts from it: the receivers paid before it are not new any more.
        const unfrozenAt = minutesAgo(7)
        yield* ledger.setFreeze(awa!.id, { freeze: { reason: "test", causedBy: { kind: "admin", id: "admin" }, at: minutesAgo(8) } })
        yield* ledger.setFreeze(awa!.id, { unfreeze: { reason: "vérifié", causedBy: { kind: "admin", id: "admin" }, at: unfrozenAt } })
        assert.deepStrictEqual((yield* ledger.stateOf(awa!.id)).lastUnfrozenAt, unfrozenAt)
        assert.strictEqual(yield* seen(awa!, kofi!, minutesAgo(60)), 1, "yao only: aya was first paid before the unfreeze")
        assert.strictEqual(yield* seen(awa!, adjoua!, minutesAgo(60)), 2)
        assert.strictEqual(yield* seen(awa!, adjoua!, minutesAgo(2)), 1, "a window later than the unfreeze stands")
        // Reads not asked for are null.
        let withoutReads: LockedState | undefined
        yield* Effect.flip(ledger.post(request(makeTransaction("transfer", moving(awa!, kofi!, 1)), {
          guard: (state) => {
            withoutReads = state
            return new WalletFrozen({ side: "own" })
          }
        })))
        assert.deepStrictEqual([withoutReads?.outflowSinceXof, withoutReads?.receiversFirstPaidSince, withoutReads?.paidBefore], [null, null, null])
      }))

    it.effect("writtenKeys says which keys have a transaction, in one read", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [awa] = yield* openWallets(1)
        const written = yield* topUp(awa!, 500)
        const unknown = `never-written:${nextId()}`
        assert.deepStrictEqual([...(yield* ledger.writtenKeys([written.transaction.idempotencyKey, unknown]))], [written.transaction.idempotencyKey])
        assert.strictEqual((yield* ledger.writtenKeys([])).size, 0)
      }))

    it.effect("findByKey gives the transaction written under a key, and none for a key never used", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [awa] = yield* openWallets(1)
        const written = yield* topUp(awa!, 700)
        assert.deepStrictEqual(yield* ledger.findByKey(written.transaction.idempotencyKey), Option.some(written.transaction))
        assert.isTrue(Option.isNone(yield* ledger.findByKey(`never-written:${nextId()}`)))
      }))

    it.effect("statements' reads: a period's entries in id order (after a cursor, up to a limit, streamed), its sums per type, the balance before an instant, the balances by kind at one, the transactions of a type", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const earnings = yield* ledger.providerEarningsOf(nextId())
        const revenue = yield* ledger.platformRevenue
        const day = (date: number, hour = 12) => new Date(Date.UTC(2026, 10, date, hour))
        const move = (type: TransactionType, amountXof: number, createdAt: Date) =>
          Effect.map(ledger.post(request(makeTransaction(type, moving(revenue, earnings, amountXof), { createdAt }))), (posted) => posted.transaction)
        const before = yield* move("commission", 1_000, day(1))
        const first = yield* move("commission", 3_000, day(2, 0))
        const refund = yield* move("refund", -500, day(2, 23))
        const payout = yield* move("payout", -2_000, day(3))
        const returned = yield* move("payout", 700, day(3, 13))
        yield* move("commission", 9_000, day(4))
        const period = { accountId: earnings.id, from: day(2, 0), to: day(4, 0) }
        const ids = (entries: ReadonlyArray<{ readonly transaction: { readonly id: string } }>) => entries.map((entry) => entry.transaction.id)
        const all = yield* Stream.runCollect(ledger.entriesBetween({ ...period, afterId: null, limit: null }))
        assert.deepStrictEqual(ids(all), [first.id, refund.id, payout.id, returned.id])
        assert.deepStrictEqual(all.map((entry) => entry.amountXof), [3_000, -500, -2_000, 700])
        assert.deepStrictEqual(all[1]!.transaction.postings, refund.postings)
        assert.deepStrictEqual(ids(yield* Stream.runCollect(ledger.entriesBetween({ ...period, afterId: first.id, limit: 2 }))), [refund.id, payout.id])
        assert.deepStrictEqual(yield* Stream.runCollect(ledger.entriesBetween({ ...period, afterId: "not-a-uuid", limit: null })), [])
        const sums = yield* ledger.sumsBetween({ ...period, throughId: null })
        assert.deepStrictEqual(sums.map((sum) => [sum.type, sum.inXof, sum.outXof, sum.count]), [["commission", 3_000, 0, 1], ["payout", 700, -2_000, 2], ["refund", 0, -500, 1]])
        assert.deepStrictEqual((yield* ledger.sumsBetween({ ...period, throughId: refund.id })).map((sum) => [sum.type, sum.inXof + sum.outXof]), [["commission", 3_000], ["refund", -500]])
        assert.strictEqual(yield* ledger.balanceBefore(earnings.id, day(2, 0)), 1_000, "what came before the period, not its first instant")
        assert.strictEqual(yield* ledger.balanceBefore(earnings.id, day(4, 0)), 1_000 + 3_000 - 500 - 2_000 + 700)
        assert.strictEqual(yield* ledger.balanceBefore(earnings.id, day(30)), 11_200)
        // The ledger is shared by the suite: whatever it holds, every kind's balance sums to zero at any instant.
        for (const at of [day(1, 11), day(2, 0), day(3), new Date()]) {
          const kinds = yield* ledger.kindBalancesAt(at)
          assert.strictEqual(kinds.reduce((sum, kind) => sum + kind.balanceXof, 0), 0, `balanced at ${at.toISOString()}`)
        }
        const earningsAt = (at: Date) => Effect.map(ledger.kindBalancesAt(at), (kinds) => kinds.find((kind) => kind.kind === "provider_earnings")?.balanceXof ?? 0)
        // Postings at the instant itself count.
        assert.strictEqual((yield* earningsAt(day(2, 0))) - (yield* earningsAt(new Date(day(2, 0).getTime() - 1))), 3_000)
        const refunds = yield* Stream.runCollect(ledger.transactionsBetween({ from: day(2, 0), to: day(4, 0), types: ["refund", "payout"] }))
        const mine = new Set([refund.id, payout.id, returned.id])
        assert.deepStrictEqual(refunds.filter((transaction) => mine.has(transaction.id)).map((transaction) => transaction.id), [refund.id, payout.id, returned.id])
        assert.isFalse(refunds.some((transaction) => transaction.id === before.id || transaction.type === "commission"))
      }))

    it.effect("events appended with a post in one Transactional run reach the outbox only with a written transaction", () =>
      Effect.gen(function*() {
        const ledger = yield* Ledger
        const [awa, kofi] = yield* openWallets(2)
        yield* topUp(awa!, 1_000)
        const events: ReadonlyArray<NewDomainEvent> = [makeEvent(awa!.id), makeEvent(kofi!.id)]
        const sent = makeTransaction("transfer", moving(awa!, kofi!, 100))
        yield* postWithEvents(request(sent), events)
        const refusedEvent = makeEvent(awa!.id)
        yield* Effect.flip(postWithEvents(request(makeTransaction("transfer", moving(awa!, kofi!, 50)), { guard: () => new WalletFrozen({ side: "own" }) }), [refusedEvent]))
        const replayEvent = makeEvent(awa!.id)
        yield* postWithEvents(request({ ...sent, id: nextId() }), [replayEvent])
        const pending = yield* pendingEventIds
        assert.isTrue(events.every((event) => pending.has(event.id)))
        assert.isFalse(pending.has(refusedEvent.id))
        assert.isFalse(pending.has(replayEvent.id))
      }))

    it.effect("property: top-ups, transfers, reversals, replays and freezes keep every invariant", () =>
      Effect.gen(function*() {
        const services = yield* Effect.context<Ledger | OutboxStore | Transactional>()
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30, size: "max" }), (commands) => Effect.runPromiseWith(services)(runSequence(commands))),
            { numRuns: options.propertyRuns }
          )
        )
      }), 60_000)

    options.storeTests?.(it)
  })
