import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import { defaultWalletPolicy, WalletPolicy } from "@nelo/domain/wallet/WalletPolicy"
import { admin, atThursdayMorning, auditLedger, balanceOf, fund, person, pin, reverseTransaction, transferMoney, walletContext } from "../walletFixtures.ts"

const failureOf = <A, E>(effect: Effect.Effect<A, E, any>) =>
  Effect.map(Effect.exit(effect), (exit) => Exit.isFailure(exit) && exit.cause.reasons[0]?._tag === "Fail" ? (exit.cause.reasons[0] as any).error : "no failure")

describe("reversals", () => {
  it.effect("an admin reverses a transfer once: the money goes back, asking again answers the same reversal; reversing a reversal, someone else's request, an unknown id or money already spent are refused", () =>
    Effect.gen(function*() {
      yield* atThursdayMorning
      const aya = yield* person("Aya Kouassi")
      const koffi = yield* person("Koffi Yao")
      yield* fund(aya.id, 5_000)
      const { transaction } = yield* transferMoney(aya.id, { toPhone: koffi.typed, amountXof: 2_000, pin, idempotencyKey: "to-reverse", note: null })
      assert.strictEqual((yield* failureOf(reverseTransaction({ userId: aya.id, roles: ["client"] }, transaction.id, "erreur")))._tag, "AdminRoleRequired")

      const reversal = yield* reverseTransaction(admin, transaction.id, "Envoyé au mauvais numéro")
      assert.deepStrictEqual([reversal.type, reversal.reversesId, reversal.note], ["reversal", transaction.id, "Envoyé au mauvais numéro"])
      assert.deepStrictEqual([yield* balanceOf(aya.id), yield* balanceOf(koffi.id)], [5_000, 0])
      assert.strictEqual((yield* reverseTransaction(admin, transaction.id, "encore")).id, reversal.id)
      assert.deepStrictEqual([yield* balanceOf(aya.id), yield* balanceOf(koffi.id)], [5_000, 0])

      const ofReversal = yield* failureOf(reverseTransaction(admin, reversal.id, "annuler l'annulation"))
      assert.deepStrictEqual([ofReversal._tag, ofReversal.reason], ["ReversalRefused", "is_a_reversal"])
      assert.strictEqual((yield* failureOf(reverseTransaction(admin, "01a2b3c4-0000-7000-8000-000000000000", "inconnu")))._tag, "TransactionNotFound")

      // Koffi spent what he received: the reversal would take him below zero, so it waits for a person.
      const { transaction: spent } = yield* transferMoney(aya.id, { toPhone: koffi.typed, amountXof: 1_000, pin, idempotencyKey: "then-spent", note: null })
      yield* transferMoney(koffi.id, { toPhone: aya.typed, amountXof: 600, pin, idempotencyKey: "spent-it", note: null })
      const refused = yield* failureOf(reverseTransaction(admin, spent.id, "trop tard"))
      assert.deepStrictEqual([refused._tag, refused.missingXof], ["InsufficientFunds", 600])
      assert.deepStrictEqual((yield* auditLedger()).differences, [])
    }).pipe(Effect.provide(walletContext(Layer.succeed(WalletPolicy, defaultWalletPolicy)))))
})
