import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import { TestClock } from "effect/testing"
import { AuthPolicy } from "@nelo/domain/auth/AuthPolicy"
import { OutboxStore } from "@nelo/domain/events/OutboxStore"
import type { UserId } from "@nelo/domain/users/User"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { defaultWalletPolicy, WalletPolicy } from "@nelo/domain/wallet/WalletPolicy"
import { admin, approveKyc, atThursdayMorning, auditLedger, balanceOf, freezeWallet, fund, person, pin, setPin, transferMoney, unfreezeWallet, walletContext, walletHistory, walletOverview } from "../walletFixtures.ts"
import { xof } from "@nelo/domain/shared/Xof"

const alertPhone = "+2250700000099"
const policy = Layer.succeed(WalletPolicy, {
  ...defaultWalletPolicy,
  limits: { none: { dailyXof: xof(10_000), monthlyXof: xof(15_000) }, approved: { dailyXof: xof(100_000), monthlyXof: xof(1_000_000) } },
  freezeAfterPinFailuresPerDay: 7,
  freezeAfterNewReceiversPerHour: 3,
  alertPhones: [alertPhone as never]
})

const rule = (name: string, body: () => Effect.Effect<void, unknown, Layer.Success<ReturnType<typeof walletContext>>>) =>
  it.effect(name, () => Effect.andThen(atThursdayMorning, body()).pipe(Effect.provide(walletContext(policy))))

/** The failure's tag (and fields), or "succeeded". */
const outcome = <A, E>(effect: Effect.Effect<A, E, any>) =>
  Effect.map(Effect.exit(effect), (exit) => Exit.isSuccess(exit) ? "succeeded" : Exit.isFailure(exit) && exit.cause.reasons[0]?._tag === "Fail" ? (exit.cause.reasons[0] as any).error : exit.cause)

const send = (from: UserId, toTyped: string, amountXof: number, key: string, options: { pin?: string; note?: string } = {}) =>
  transferMoney(from, { toPhone: toTyped, amountXof, pin: options.pin ?? pin, idempotencyKey: key, note: options.note ?? null })

const hourMs = 3600_000

describe("transfers", () => {
  rule("a transfer moves the amount from one wallet to the other; both histories show it with the other person masked", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const koffi = yield* person("Koffi Yao N'Guessan")
      yield* fund(aya.id, 5_000)
      yield* TestClock.adjust(1_000)
      const { transaction, receiver } = yield* send(aya.id, koffi.typed, 1_500, "key-00000001", { note: "Pour le garba" })
      assert.strictEqual(receiver.id, koffi.id)
      assert.strictEqual(yield* balanceOf(aya.id), 3_500)
      assert.strictEqual(yield* balanceOf(koffi.id), 1_500)

      const sent = yield* walletHistory(aya.id, { cursor: null, limit: 10, types: null })
      assert.deepStrictEqual(sent.items.map((item) => [item.type, item.amountXof, item.status]), [["transfer", -1_500, "completed"], ["topup", 5_000, "completed"]])
      assert.strictEqual(sent.items[0]!.id, transaction.id)
      assert.strictEqual(sent.items[0]!.note, "Pour le garba")
      assert.deepStrictEqual(sent.items[0]!.counterparty, { name: "Koffi N.", phone: `+225 07 •• •• ${koffi.typed.slice(6, 8)} ${koffi.typed.slice(8)}` })
      const received = yield* walletHistory(koffi.id, { cursor: null, limit: 10, types: ["transfer"] })
      assert.deepStrictEqual(received.items.map((item): ReadonlyArray<unknown> => [item.amountXof, item.counterparty?.name]), [[1_500, "Aya K."]])

      const overview = yield* walletOverview(aya.id)
      assert.deepStrictEqual({ balance: overview.balanceXof, status: overview.status, daily: overview.daily, monthly: overview.monthly }, {
        balance: 3_500,
        status: "active",
        daily: { limitXof: 10_000, usedXof: 1_500, remainingXof: 8_500 },
        monthly: { limitXof: 15_000, usedXof: 1_500, remainingXof: 13_500 }
      })
    }))

  rule("the same idempotency key sent again returns the first transfer and moves nothing more; reused for another amount it is refused", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const koffi = yield* person("Koffi Yao")
      yield* fund(aya.id, 5_000)
      const first = yield* send(aya.id, koffi.typed, 1_000, "retry-after-timeout")
      const again = yield* send(aya.id, koffi.typed, 1_000, "retry-after-timeout")
      const concurrent = yield* Effect.all(Array.from({ length: 20 }, () => send(aya.id, koffi.typed, 1_000, "retry-after-timeout")), { concurrency: "unbounded" })
      assert.strictEqual(again.transaction.id, first.transaction.id)
      assert.isTrue(concurrent.every((result) => result.transaction.id === first.transaction.id))
      assert.strictEqual(yield* balanceOf(aya.id), 4_000)
      assert.strictEqual((yield* outcome(send(aya.id, koffi.typed, 2_000, "retry-after-timeout")))._tag, "IdempotencyKeyReused")
      assert.strictEqual(yield* balanceOf(aya.id), 4_000)
    }))

  rule("a wrong PIN moves nothing; after the policy's wrong PINs in a row the PIN locks, and even the right one is refused", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const koffi = yield* person("Koffi Yao")
      yield* fund(aya.id, 5_000)
      const wrong = yield* outcome(send(aya.id, koffi.typed, 1_000, "wrong-pin-1", { pin: "1397" }))
      assert.deepStrictEqual([wrong._tag, wrong.attemptsLeft], ["PinIncorrect", 4])
      for (let attempt = 2; attempt <= 5; attempt++) yield* outcome(send(aya.id, koffi.typed, 1_000, `wrong-pin-${attempt}`, { pin: "1397" }))
      const locked = yield* outcome(send(aya.id, koffi.typed, 1_000, "right-pin-while-locked"))
      assert.deepStrictEqual([locked._tag, locked.limit], ["TooManyRequests", "pin_locked"])
      assert.strictEqual(yield* balanceOf(aya.id), 5_000)
    }))

  rule("the right PIN sent with many transfers at once never locks the PIN nor freezes the wallet: the excess is asked to retry", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const koffi = yield* person("Koffi Yao")
      yield* fund(aya.id, 9_000)
      const results = yield* Effect.all(Array.from({ length: 40 }, (_, index) => outcome(send(aya.id, koffi.typed, 10, `burst-${index}`))), { concurrency: "unbounded" })
      const refused = results.filter((result) => result !== "succeeded")
      assert.isTrue(refused.every((result) => result._tag === "TooManyRequests" && result.limit === "pin_busy"), JSON.stringify(refused))
      assert.strictEqual((yield* walletOverview(aya.id)).status, "active")
      assert.strictEqual(yield* balanceOf(koffi.id), 10 * (40 - refused.length))
      // And the PIN is not locked: the next one passes.
      yield* send(aya.id, koffi.typed, 10, "after-burst")
    }))

  rule("limits: exactly the day's allowance passes, one franc more is refused saying what is left; the day starts again at midnight in Abidjan", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const koffi = yield* person("Koffi Yao")
      yield* fund(aya.id, 50_000)
      yield* send(aya.id, koffi.typed, 6_000, "limit-day-1")
      const over = yield* outcome(send(aya.id, koffi.typed, 4_001, "limit-day-2"))
      assert.deepStrictEqual([over._tag, over.period, over.limitXof, over.remainingXof], ["LimitExceeded", "day", 10_000, 4_000])
      yield* send(aya.id, koffi.typed, 4_000, "limit-day-3")
      assert.strictEqual((yield* outcome(send(aya.id, koffi.typed, 1, "limit-day-4"))).remainingXof, 0)
      // 23:59:59 the same day: still today.
      yield* TestClock.setTime(Date.parse("2026-11-26T23:59:59Z"))
      assert.strictEqual((yield* outcome(send(aya.id, koffi.typed, 1, "limit-day-5")))._tag, "LimitExceeded")
      // Midnight in Abidjan: a new day, but the month (15,000) now binds: 5,000 left.
      yield* TestClock.setTime(Date.parse("2026-11-27T00:00:00Z"))
      const month = yield* outcome(send(aya.id, koffi.typed, 5_001, "limit-month-1"))
      assert.deepStrictEqual([month._tag, month.period, month.remainingXof], ["LimitExceeded", "month", 5_000])
      yield* send(aya.id, koffi.typed, 5_000, "limit-month-2")
      // A new month resets it.
      yield* TestClock.setTime(Date.parse("2026-12-01T00:00:00Z"))
      yield* send(aya.id, koffi.typed, 10_000, "limit-next-month")
      assert.strictEqual(yield* balanceOf(aya.id), 25_000)
    }))

  rule("approved KYC lifts the limits to the approved level", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const koffi = yield* person("Koffi Yao")
      yield* fund(aya.id, 200_000)
      assert.strictEqual((yield* outcome(send(aya.id, koffi.typed, 50_000, "kyc-1")))._tag, "LimitExceeded")
      yield* approveKyc(aya.id)
      yield* send(aya.id, koffi.typed, 50_000, "kyc-2")
      assert.strictEqual((yield* walletOverview(aya.id)).kycLevel, "approved")
    }))

  rule("the amount is whole francs above zero: a negative one would pull money from the receiver", () =>
    Effect.gen(function*() {
      const thief = yield* person("Voleur")
      const victim = yield* person("Victime")
      yield* fund(victim.id, 10_000)
      for (const amountXof of [-7_000, 0, 10.5, Number.MAX_SAFE_INTEGER + 1]) {
        assert.strictEqual((yield* outcome(send(thief.id, victim.typed, amountXof, `bad-amount-${amountXof}`)))._tag, "TransferAmountInvalid")
      }
      assert.deepStrictEqual([yield* balanceOf(thief.id), yield* balanceOf(victim.id)], [0, 10_000])
    }))

  rule("not enough money: refused with what is missing, nothing moves", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const koffi = yield* person("Koffi Yao")
      yield* fund(aya.id, 700)
      const refused = yield* outcome(send(aya.id, koffi.typed, 1_000, "too-much"))
      assert.deepStrictEqual([refused._tag, refused.balanceXof, refused.missingXof], ["InsufficientFunds", 700, 300])
      assert.deepStrictEqual([yield* balanceOf(aya.id), yield* balanceOf(koffi.id)], [700, 0])
    }))

  rule("no transfer to oneself, to a number without an account, or to a number that is not one", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      yield* fund(aya.id, 5_000)
      assert.strictEqual((yield* outcome(send(aya.id, aya.typed, 100, "self")))._tag, "SelfTransfer")
      assert.strictEqual((yield* outcome(send(aya.id, "0799999999", 100, "nobody")))._tag, "ReceiverNotFound")
      assert.strictEqual((yield* outcome(send(aya.id, "0899999999", 100, "not-a-phone")))._tag, "PhoneInvalid")
      assert.strictEqual(yield* balanceOf(aya.id), 5_000)
    }))

  rule("a frozen wallet neither sends nor receives; the freeze alerts the admins; unfrozen it works again", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const koffi = yield* person("Koffi Yao")
      yield* fund(aya.id, 5_000)
      yield* fund(koffi.id, 5_000)
      yield* freezeWallet(admin, aya.id, "Signalement de fraude")
      assert.deepStrictEqual((yield* outcome(send(aya.id, koffi.typed, 100, "frozen-send"))).side, "own")
      assert.deepStrictEqual((yield* outcome(send(koffi.id, aya.typed, 100, "frozen-receive"))).side, "receiver")
      const overview = yield* walletOverview(aya.id)
      assert.deepStrictEqual([overview.status, overview.frozenReason], ["frozen", "Signalement de fraude"])
      assert.strictEqual((yield* outcome(freezeWallet(admin, aya.id, "encore")))._tag, "WalletAlreadyInState")
      assert.strictEqual((yield* outcome(freezeWallet({ userId: koffi.id, roles: ["client"] }, aya.id, "pas admin")))._tag, "AdminRoleRequired")

      const events = yield* (yield* OutboxStore).withClaim(100, (batch) => Effect.succeed(batch.events))
      const alerts = (events ?? []).filter((event) => event.type === "notification.requested")
      assert.strictEqual(alerts.length, 1)
      assert.deepInclude(alerts[0]!.payload as object, { channel: "sms", to: alertPhone })
      assert.include((alerts[0]!.payload as { body: string }).body, "Signalement de fraude")

      yield* unfreezeWallet(admin, aya.id, "Vérifié avec la cliente")
      yield* send(aya.id, koffi.typed, 100, "after-unfreeze")
      assert.strictEqual(yield* balanceOf(aya.id), 4_900)
    }))

  rule("suspicion: too many wrong PINs in one day freeze the wallet, with the reason", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const koffi = yield* person("Koffi Yao")
      yield* fund(aya.id, 5_000)
      // 5 wrong PINs lock it for the lock delay; tries while locked compare nothing and do not count.
      for (let attempt = 1; attempt <= 8; attempt++) yield* outcome(send(aya.id, koffi.typed, 100, `guess-${attempt}`, { pin: "1397" }))
      assert.strictEqual((yield* walletOverview(aya.id)).status, "active")
      // After the lock, three more wrong ones: 8 compared wrong today, above the policy's 7.
      yield* TestClock.adjust((yield* AuthPolicy).pinLockMs)
      for (let attempt = 9; attempt <= 11; attempt++) yield* outcome(send(aya.id, koffi.typed, 100, `guess-${attempt}`, { pin: "1397" }))
      const overview = yield* walletOverview(aya.id)
      assert.strictEqual(overview.status, "frozen")
      assert.include(overview.frozenReason!, "codes PIN erronés")
    }))

  rule("suspicion: wrong PINs tried through a PIN change count the same (a stolen session guessing there freezes the wallet)", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      yield* fund(aya.id, 5_000)
      const guess = (attempt: number) => outcome(setPin(aya.id, { pin: "7391", currentPin: String(1000 + attempt) }))
      for (let attempt = 1; attempt <= 5; attempt++) yield* guess(attempt)
      yield* TestClock.adjust((yield* AuthPolicy).pinLockMs)
      for (let attempt = 6; attempt <= 8; attempt++) yield* guess(attempt)
      const overview = yield* walletOverview(aya.id)
      assert.deepStrictEqual([overview.status, overview.frozenReason], ["frozen", "8 codes PIN erronés aujourd'hui"])
    }))

  rule("suspicion: the transfer that would pay more new receivers within an hour than the policy allows is refused, and the wallet frozen with the reason", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      yield* fund(aya.id, 9_000)
      const receivers = yield* Effect.forEach([1, 2, 3, 4, 5], (index) => person(`Receveur ${index}`))
      for (const [index, receiver] of receivers.slice(0, 3).entries()) {
        yield* TestClock.adjust(60_000)
        yield* send(aya.id, receiver.typed, 100, `fan-out-${index}`)
      }
      // A known receiver is not new: still fine.
      yield* send(aya.id, receivers[0]!.typed, 100, "fan-out-again")
      const crossing = yield* outcome(send(aya.id, receivers[3]!.typed, 100, "fan-out-4"))
      assert.deepStrictEqual([crossing._tag, crossing.side], ["WalletFrozen", "own"])
      const overview = yield* walletOverview(aya.id)
      assert.deepStrictEqual([overview.status, overview.frozenReason], ["frozen", "4 nouveaux destinataires en moins d'une heure"])
      assert.deepStrictEqual([yield* balanceOf(aya.id), yield* balanceOf(receivers[3]!.id)], [8_600, 0])
      assert.strictEqual((yield* outcome(send(aya.id, receivers[4]!.typed, 100, "fan-out-5"))).side, "own")
    }))

  rule("an admin's unfreeze starts the suspicion rules afresh: the next wrong PIN or new receiver of the day does not freeze it again at once", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      yield* fund(aya.id, 9_000)
      const receivers = yield* Effect.forEach([1, 2, 3, 4, 5], (index) => person(`Receveur ${index}`))
      for (const [index, receiver] of receivers.slice(0, 3).entries()) yield* send(aya.id, receiver.typed, 100, `afresh-${index}`)
      assert.strictEqual((yield* outcome(send(aya.id, receivers[3]!.typed, 100, "afresh-3"))).side, "own")
      yield* TestClock.adjust(60_000)
      yield* unfreezeWallet(admin, aya.id, "Appel avec la cliente : elle paie ses fournisseurs")
      yield* TestClock.adjust(60_000)
      // Within the same hour: two new receivers since the unfreeze, under the policy's 3.
      yield* send(aya.id, receivers[3]!.typed, 100, "afresh-4")
      yield* send(aya.id, receivers[4]!.typed, 100, "afresh-5")
      // Wrong PINs: 7 allowed a day; before the freeze none, so take the day to 7, freeze, unfreeze, one more.
      for (let attempt = 1; attempt <= 4; attempt++) yield* outcome(send(aya.id, receivers[0]!.typed, 100, `afresh-pin-${attempt}`, { pin: "1397" }))
      yield* TestClock.adjust((yield* AuthPolicy).pinLockMs)
      for (let attempt = 5; attempt <= 8; attempt++) yield* outcome(send(aya.id, receivers[0]!.typed, 100, `afresh-pin-${attempt}`, { pin: "1397" }))
      assert.strictEqual((yield* walletOverview(aya.id)).status, "frozen")
      yield* unfreezeWallet(admin, aya.id, "Elle avait oublié son code")
      yield* TestClock.adjust((yield* AuthPolicy).pinLockMs)
      yield* outcome(send(aya.id, receivers[0]!.typed, 100, "afresh-pin-9", { pin: "1397" }))
      assert.strictEqual((yield* walletOverview(aya.id)).status, "active")
    }))

  rule("receivers paid before the hour are not new: a regular payer is not frozen", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      yield* fund(aya.id, 9_000)
      const receivers = yield* Effect.forEach([1, 2, 3, 4], (index) => person(`Habitué ${index}`))
      for (const [index, receiver] of receivers.slice(0, 3).entries()) yield* send(aya.id, receiver.typed, 100, `regular-a-${index}`)
      yield* TestClock.adjust(2 * hourMs)
      // The same three again and one new: one new receiver this hour.
      for (const [index, receiver] of receivers.entries()) yield* send(aya.id, receiver.typed, 100, `regular-b-${index}`)
      assert.strictEqual((yield* walletOverview(aya.id)).status, "active")
    }))

  rule("history pages newest first with a cursor, and filters by type", () =>
    Effect.gen(function*() {
      const aya = yield* person("Aya Kouassi")
      const koffi = yield* person("Koffi Yao")
      yield* fund(aya.id, 5_000)
      for (let index = 0; index < 5; index++) {
        yield* TestClock.adjust(1_000)
        yield* send(aya.id, koffi.typed, 100 + index, `page-${index}`)
      }
      const first = yield* walletHistory(aya.id, { cursor: null, limit: 4, types: null })
      assert.deepStrictEqual(first.items.map((item) => item.amountXof), [-104, -103, -102, -101])
      const second = yield* walletHistory(aya.id, { cursor: first.nextCursor, limit: 4, types: null })
      assert.deepStrictEqual(second.items.map((item) => item.amountXof), [-100, 5_000])
      assert.isNull(second.nextCursor)
      const topups = yield* walletHistory(aya.id, { cursor: null, limit: 10, types: ["topup"] })
      assert.deepStrictEqual(topups.items.map((item) => item.amountXof), [5_000])
      // Nobody else's history leaks in: a stranger sees an empty wallet.
      const stranger = yield* person("Inconnu")
      assert.deepStrictEqual((yield* walletHistory(stranger.id, { cursor: null, limit: 10, types: null })).items, [])
    }))

  rule("after any of this, the audit finds nothing wrong", () =>
    Effect.gen(function*() {
      const people = yield* Effect.forEach([1, 2, 3, 4], (index) => person(`Audité ${index}`))
      for (const someone of people) yield* fund(someone.id, 3_000)
      yield* Effect.all(Array.from({ length: 60 }, (_, index) => {
        const from = people[index % 4]!
        const to = people[(index + 1 + (index % 3)) % 4]!
        return Effect.exit(send(from.id, to.typed, 50 + index, `audit-${index}`))
      }), { concurrency: "unbounded" })
      const report = yield* auditLedger()
      assert.deepStrictEqual(report.differences, [])
      assert.strictEqual(report.totalXof, 0)
      const balances = yield* Effect.forEach(people, (someone) => balanceOf(someone.id))
      assert.strictEqual(balances.reduce((sum: number, balance) => sum + balance, 0), 12_000)
      assert.isTrue(balances.every((balance) => balance >= 0))
      void UserRepository
    }))
})
