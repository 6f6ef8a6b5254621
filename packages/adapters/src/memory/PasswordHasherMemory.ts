import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { Effect, Layer } from "effect"
import { PasswordHasher } from "@nelo/domain/auth/PasswordHasher"

// `memory$<salt>$<sha256 of salt and password>`: salted like Argon2 (the same password never
// hashes twice the same) but about a microsecond per hash, so tests that sign in many times stay
// fast. Never for production: SHA-256 makes offline guessing cheap.
const scheme = "memory"
const saltBytes = 16

const digestOf = (salt: string, plain: string) => createHash("sha256").update(salt).update(plain, "utf8").digest()

const matches = (stored: string, plain: string) => {
  const [storedScheme, salt, digest, ...rest] = stored.split("$")
  if (storedScheme !== scheme || salt === undefined || digest === undefined || rest.length > 0) return false
  const expected = Buffer.from(digest, "hex")
  const actual = digestOf(salt, plain)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/** A cheap, salted stand-in for Argon2id in unit tests; a malformed hash never matches. */
export const PasswordHasherMemory = Layer.sync(PasswordHasher, () => {
  const hashWith = (plain: string) => {
    const salt = randomBytes(saltBytes).toString("hex")
    return `${scheme}$${salt}$${digestOf(salt, plain).toString("hex")}`
  }
  // Like the Argon2 adapter, an absent hash is checked against a decoy, which never matches.
  const decoy = hashWith("nelo-decoy-password-never-matches")
  return PasswordHasher.of({
    hash: (plain) => Effect.sync(() => hashWith(plain)),
    verify: (stored, plain) => Effect.sync(() => matches(stored ?? decoy, plain) && stored !== null)
  })
})
