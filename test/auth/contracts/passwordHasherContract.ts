import { assert, layer } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { PasswordHasher } from "@nelo/domain/auth/PasswordHasher"

/** One suite, run against every PasswordHasher adapter: they must accept and refuse the same. */
export const passwordHasherContract = (name: string, hasherLayer: Layer.Layer<PasswordHasher, unknown>) =>
  layer(hasherLayer, { excludeTestServices: true })(`PasswordHasher contract: ${name}`, (it) => {
    it.effect("a hash verifies its own password and nothing else, not even the same words spelt otherwise", () =>
      Effect.gen(function*() {
        const hasher = yield* PasswordHasher
        const hash = yield* hasher.hash("manioc-attiéké")
        assert.isTrue(yield* hasher.verify(hash, "manioc-attiéké"))
        for (const other of ["manioc-attieke", "Manioc-attiéké", "manioc-attiéké ", ""]) {
          assert.isFalse(yield* hasher.verify(hash, other), JSON.stringify(other))
        }
      }))

    it.effect("hashes are salted: one password hashes differently each time, and each hash verifies it", () =>
      Effect.gen(function*() {
        const hasher = yield* PasswordHasher
        const first = yield* hasher.hash("mot-de-passe-solide")
        const second = yield* hasher.hash("mot-de-passe-solide")
        assert.notStrictEqual(first, second)
        assert.isTrue(yield* hasher.verify(first, "mot-de-passe-solide"))
        assert.isTrue(yield* hasher.verify(second, "mot-de-passe-solide"))
      }))

    it.effect("the stored hash does not hold the password", () =>
      Effect.gen(function*() {
        const hasher = yield* PasswordHasher
        const hash = yield* hasher.hash("garba-du-vendredi")
        assert.notInclude(hash, "garba-du-vendredi")
        assert.notInclude(hash, Buffer.from("garba-du-vendredi").toString("base64"))
        assert.notInclude(hash, Buffer.from("garba-du-vendredi").toString("hex"))
      }))

    it.effect("with no hash (unknown account, no password set) nothing matches, not even the decoy's password", () =>
      Effect.gen(function*() {
        const hasher = yield* PasswordHasher
        for (const plain of ["", "mot-de-passe-solide", "nelo-decoy-password-never-matches"]) {
          assert.isFalse(yield* hasher.verify(null, plain), JSON.stringify(plain))
        }
      }))

    it.effect("a malformed or foreign hash is refused, not a defect", () =>
      Effect.gen(function*() {
        const hasher = yield* PasswordHasher
        for (const stored of ["", "not-a-hash", "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$", "memory$00$00", "$2b$10$abcdefghijklmnopqrstuv"]) {
          assert.isFalse(yield* hasher.verify(stored, "mot-de-passe-solide"), `stored ${JSON.stringify(stored)}`)
        }
      }))

    it.effect("a long password with emoji and accents round-trips", () =>
      Effect.gen(function*() {
        const hasher = yield* PasswordHasher
        const long = "Tiassalé 🍲🔥 alloco ".repeat(20)
        const hash = yield* hasher.hash(long)
        assert.isTrue(yield* hasher.verify(hash, long))
        assert.isFalse(yield* hasher.verify(hash, long.slice(0, -1)))
      }))
  })
