import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import type { Payee } from "@nelo/domain/earnings/Payout"
import type { PayoutAccount } from "@nelo/domain/earnings/PayoutAccount"
import { PayoutAccountRepository } from "@nelo/domain/earnings/PayoutAccountRepository"
import type { Phone } from "@nelo/domain/shared/Phone"
import { Transactional } from "@nelo/domain/shared/Transactional"
import { nextId } from "../../wallet/contracts/ledgerContract.ts"

const malformed = ["not-a-uuid", "", "'; DROP TABLE earnings.payout_accounts; --"]
const provider = (): Payee => ({ kind: "provider", id: nextId() })
const driver = (): Payee => ({ kind: "driver", id: nextId() })
const phone = (digits: string) => `+22507${digits}` as Phone
const at = (hour: number, minute = 0) => new Date(Date.UTC(2026, 10, 8, hour, minute, 0, 789))

const accountOf = (payee: Payee, fields: Partial<PayoutAccount>): PayoutAccount => ({
  payee,
  holderName: "Aya Koné",
  mobile: null,
  confirmedAt: null,
  payoutsHeldUntil: null,
  pendingMobile: null,
  pendingSince: null,
  ...fields
})

/** One suite, run against every PayoutAccountRepository adapter; each test names payees of its own (the store may be shared). */
export const payoutAccountRepositoryContract = (name: string, repositoryLayer: Layer.Layer<PayoutAccountRepository | Transactional, unknown>) =>
  layer(repositoryLayer, { excludeTestServices: true })(`PayoutAccountRepository contract: ${name}`, (it) => {
    it.effect("no account: none, no changes, nothing to confirm", () =>
      Effect.gen(function*() {
        const accounts = yield* PayoutAccountRepository
        const payee = provider()
        assert.isTrue(Option.isNone(yield* accounts.find(payee)))
        assert.deepStrictEqual(yield* accounts.changes(payee), [])
        assert.isFalse(yield* accounts.confirm(payee, { mobile: phone("01020304"), at: at(1), heldUntil: null, changedBy: "self" }))
        assert.isTrue(Option.isNone(yield* accounts.find(payee)), "confirming opens nothing")
      }))

    it.effect("setPending opens the account with the number waiting, then replaces the pending number (and the name), keeping the confirmed one", () =>
      Effect.gen(function*() {
        const accounts = yield* PayoutAccountRepository
        const payee = driver()
        yield* accounts.setPending(payee, { mobile: phone("01020304"), holderName: "Aya Koné", at: at(1) })
        assert.deepStrictEqual(yield* accounts.find(payee), Option.some(accountOf(payee, { pendingMobile: phone("01020304"), pendingSince: at(1) })))
        yield* accounts.setPending(payee, { mobile: phone("05060708"), holderName: "Aya Koné Traoré", at: at(2) })
        assert.deepStrictEqual(yield* accounts.find(payee), Option.some(accountOf(payee, { holderName: "Aya Koné Traoré", pendingMobile: phone("05060708"), pendingSince: at(2) })))
        assert.isTrue(yield* accounts.confirm(payee, { mobile: phone("05060708"), at: at(3), heldUntil: null, changedBy: payee.id }))
        yield* accounts.setPending(payee, { mobile: phone("09090909"), holderName: "Aya Koné Traoré", at: at(4) })
        assert.deepStrictEqual(yield* accounts.find(payee), Option.some(accountOf(payee, {
          holderName: "Aya Koné Traoré",
          mobile: phone("05060708"),
          confirmedAt: at(3),
          pendingMobile: phone("09090909"),
          pendingSince: at(4)
        })), "the confirmed number stays until the new one is confirmed")
        assert.deepStrictEqual(yield* accounts.find({ kind: "driver", id: payee.id.toUpperCase() }), yield* accounts.find(payee), "an id in upper case names the same payee")
        assert.isTrue(Option.isNone(yield* accounts.find({ kind: "provider", id: payee.id })), "a provider under the same id is another payee")
      }))

    it.effect("confirm: only the number still pending; it becomes the number paid, with the hold, and each change is logged (previous number null, then the old one)", () =>
      Effect.gen(function*() {
        const accounts = yield* PayoutAccountRepository
        const payee = provider()
        const admin = nextId()
        yield* accounts.setPending(payee, { mobile: phone("01020304"), holderName: "Boutique Awa", at: at(1) })
        assert.isFalse(yield* accounts.confirm(payee, { mobile: phone("05060708"), at: at(2), heldUntil: null, changedBy: payee.id }), "another number than the pending one")
        assert.deepStrictEqual((yield* accounts.find(payee)).pipe(Option.map((account) => [account.mobile, account.pendingMobile])), Option.some([null, phone("01020304")]))
        assert.deepStrictEqual(yield* accounts.changes(payee), [])

        assert.isTrue(yield* accounts.confirm(payee, { mobile: phone("01020304"), at: at(2), heldUntil: null, changedBy: payee.id }))
        assert.deepStrictEqual(yield* accounts.find(payee), Option.some(accountOf(payee, { holderName: "Boutique Awa", mobile: phone("01020304"), confirmedAt: at(2) })))
        assert.isFalse(yield* accounts.confirm(payee, { mobile: phone("01020304"), at: at(3), heldUntil: null, changedBy: payee.id }), "confirmed once: nothing pending any more")

        yield* accounts.setPending(payee, { mobile: phone("05060708"), holderName: "Boutique Awa", at: at(4) })
        assert.isTrue(yield* accounts.confirm(payee, { mobile: phone("05060708"), at: at(5), heldUntil: at(53), changedBy: admin }))
        assert.deepStrictEqual(yield* accounts.find(payee), Option.some(accountOf(payee, { holderName: "Boutique Awa", mobile: phone("05060708"), confirmedAt: at(5), payoutsHeldUntil: at(53) })))

        // A later confirmation without a hold lifts it.
        yield* accounts.setPending(payee, { mobile: phone("01020304"), holderName: "Boutique Awa", at: at(6) })
        assert.isTrue(yield* accounts.confirm(payee, { mobile: phone("01020304"), at: at(7), heldUntil: null, changedBy: payee.id }))
        assert.isNull(Option.getOrThrow(yield* accounts.find(payee)).payoutsHeldUntil)

        assert.deepStrictEqual(yield* accounts.changes(payee), [
          { payee, previousMobile: null, mobile: phone("01020304"), changedBy: payee.id, at: at(2) },
          { payee, previousMobile: phone("01020304"), mobile: phone("05060708"), changedBy: admin, at: at(5) },
          { payee, previousMobile: phone("05060708"), mobile: phone("01020304"), changedBy: payee.id, at: at(7) }
        ])
        assert.deepStrictEqual(yield* accounts.changes({ kind: "driver", id: payee.id }), [])
      }))

    it.effect("findMany: the accounts of several payees in one call; payees with none, asked twice, or malformed are left out", () =>
      Effect.gen(function*() {
        const accounts = yield* PayoutAccountRepository
        const [first, second, third, none] = [provider(), driver(), provider(), driver()]
        yield* accounts.setPending(first, { mobile: phone("01010101"), holderName: "Un", at: at(1) })
        yield* accounts.setPending(second, { mobile: phone("02020202"), holderName: "Deux", at: at(1) })
        assert.isTrue(yield* accounts.confirm(second, { mobile: phone("02020202"), at: at(2), heldUntil: null, changedBy: "self" }))
        yield* accounts.setPending(third, { mobile: phone("03030303"), holderName: "Trois", at: at(1) })
        const byId = (list: ReadonlyArray<PayoutAccount>) => [...list].sort((left, right) => left.payee.id < right.payee.id ? -1 : 1)
        const found = yield* accounts.findMany([first, second, none, { kind: "driver", id: first.id }, ...malformed.map((id) => ({ kind: "provider" as const, id })), second])
        assert.deepStrictEqual(byId(found), byId([
          Option.getOrThrow(yield* accounts.find(first)),
          Option.getOrThrow(yield* accounts.find(second))
        ]))
        assert.deepStrictEqual(byId(found).map((account) => account.mobile), byId([
          accountOf(first, {}),
          accountOf(second, { mobile: phone("02020202") })
        ]).map((account) => account.mobile))
        assert.deepStrictEqual(yield* accounts.findMany([]), [])
        assert.deepStrictEqual(yield* accounts.findMany([none]), [])
        assert.deepStrictEqual(yield* accounts.findMany(malformed.map((id) => ({ kind: "driver" as const, id }))), [])
      }))

    it.effect("malformed ids name no account: none, no changes, confirm false; setPending is refused", () =>
      Effect.gen(function*() {
        const accounts = yield* PayoutAccountRepository
        for (const id of malformed) {
          const payee: Payee = { kind: "provider", id }
          assert.isTrue(Option.isNone(yield* accounts.find(payee)))
          assert.deepStrictEqual(yield* accounts.changes(payee), [])
          assert.isFalse(yield* accounts.confirm(payee, { mobile: phone("01020304"), at: at(1), heldUntil: null, changedBy: "self" }))
          assert.strictEqual((yield* Effect.flip(accounts.setPending(payee, { mobile: phone("01020304"), holderName: "X", at: at(1) })))._tag, "EarningsUnavailable")
        }
      }))

    it.effect("a failed Transactional run writes nothing: no account opened, no confirmation, no change logged", () =>
      Effect.gen(function*() {
        const accounts = yield* PayoutAccountRepository
        const transactional = yield* Transactional
        const payee = driver()
        const refused = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.flip(transactional.run(Effect.andThen(effect, Effect.fail("refused" as const))))
        assert.strictEqual(yield* refused(accounts.setPending(payee, { mobile: phone("01020304"), holderName: "Aya", at: at(1) })), "refused")
        assert.isTrue(Option.isNone(yield* accounts.find(payee)))
        yield* accounts.setPending(payee, { mobile: phone("01020304"), holderName: "Aya", at: at(1) })
        const before = yield* accounts.find(payee)
        assert.strictEqual(yield* refused(accounts.confirm(payee, { mobile: phone("01020304"), at: at(2), heldUntil: at(50), changedBy: "self" })), "refused")
        assert.deepStrictEqual(yield* accounts.find(payee), before)
        assert.deepStrictEqual(yield* accounts.changes(payee), [])
      }))
  })
