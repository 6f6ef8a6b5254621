import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import fc from "fast-check"
import { AuthCrypto } from "@nelo/domain/auth/AuthCrypto"
import { crockfordAlphabet, makeNewOrderReference, orderReferencePattern } from "@nelo/domain/orders/orderReference"

const crockfordChar = fc.constantFrom(...crockfordAlphabet)
const crockfordCode = fc.string({ unit: crockfordChar, minLength: 8, maxLength: 8 })

describe("order reference", () => {
  it("the alphabet is Crockford's base32: 32 distinct characters, digits and upper case without I, L, O, U", () => {
    assert.strictEqual(crockfordAlphabet, "0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert.strictEqual(new Set(crockfordAlphabet).size, 32)
  })

  it("accepts ORD- and 8 Crockford characters", () => {
    for (const reference of ["ORD-00000000", "ORD-ZZZZZZZZ", "ORD-7K3M9P2Q", "ORD-ABCDEFGH", "ORD-JKMNPQRS", "ORD-TVWXYZ89"]) {
      assert.isTrue(orderReferencePattern.test(reference), reference)
    }
    fc.assert(fc.property(crockfordCode, (code) => {
      assert.isTrue(orderReferencePattern.test(`ORD-${code}`))
    }))
  })

  it("refuses I, L, O, U, lower case, another length or prefix", () => {
    for (const reference of [
      "ORD-7K3M9P2I",
      "ORD-L7K3M9P2",
      "ORD-7K3O9P2Q",
      "ORD-7K3M9U2Q",
      "ORD-7k3m9p2q",
      "ord-7K3M9P2Q",
      "ORD-7K3M9P2",
      "ORD-7K3M9P2QR",
      "ORD_7K3M9P2Q",
      "ORD7K3M9P2Q",
      " ORD-7K3M9P2Q",
      "ORD-7K3M9P2Q\n",
      "ORD-7K3M-P2Q"
    ]) {
      assert.isFalse(orderReferencePattern.test(reference), JSON.stringify(reference))
    }
  })

  it("property: over every digit and ASCII letter, a character is accepted exactly when it is in the alphabet", () => {
    const anyAlphanumeric = fc.constantFrom(..."0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    fc.assert(fc.property(crockfordCode, fc.integer({ min: 0, max: 7 }), anyAlphanumeric, (code, position, replacement) => {
      const reference = `ORD-${code.slice(0, position)}${replacement}${code.slice(position + 1)}`
      assert.strictEqual(orderReferencePattern.test(reference), crockfordAlphabet.includes(replacement), reference)
    }), { numRuns: 1_000 })
  })

  it.effect("a new reference is drawn from the Crockford alphabet, 8 characters, and matches the pattern", () => {
    const asked: Array<readonly [string, number]> = []
    let draw = 0
    const crypto = Layer.succeed(AuthCrypto, AuthCrypto.of({
      newOtpCode: () => Effect.die("not used"),
      newSecret: Effect.die("not used"),
      newCode: (alphabet, length) =>
        Effect.sync(() => {
          asked.push([alphabet, length])
          // A deterministic walk over the alphabet, different at each draw.
          return Array.from({ length }, (_, index) => alphabet[(draw * 7 + index * 5) % alphabet.length]).join("")
        }).pipe(Effect.tap(() => Effect.sync(() => draw++))),
      digest: () => "",
      sameDigest: () => false
    }))
    return Effect.gen(function*() {
      // Made once with the service captured (as placeOrder does), then drawn again on each collision.
      const newReference = yield* makeNewOrderReference
      const first = yield* newReference
      const second = yield* newReference
      assert.match(first, orderReferencePattern)
      assert.match(second, orderReferencePattern)
      assert.notStrictEqual(first, second)
      assert.strictEqual(first, "ORD-05AFMSY3")
      assert.deepStrictEqual(asked, [[crockfordAlphabet, 8], [crockfordAlphabet, 8]])
    }).pipe(Effect.provide(crypto))
  })
})
