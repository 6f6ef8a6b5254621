import { argon2id, hash, verify } from "argon2"
import { Config, Effect, Layer, Semaphore } from "effect"
import { PasswordHasher } from "@nelo/domain/auth/PasswordHasher"

/**
 * Argon2id. Defaults are OWASP's minimum (19 MiB, 2 passes, 1 lane): measured about 16 ms per
 * hash on this project's 2-core machines (BENCHMARKS.md), enough to make offline guessing slow
 * without letting a burst of logins exhaust the API's CPU.
 */
export const Argon2Config = Config.all({
  memoryKib: Config.Int("ARGON2_MEMORY_KIB").pipe(Config.withDefault(19_456)),
  timeCost: Config.Int("ARGON2_TIME_COST").pipe(Config.withDefault(2)),
  parallelism: Config.Int("ARGON2_PARALLELISM").pipe(Config.withDefault(1)),
  /** Hashes computed at once; the others wait their turn (see below). */
  concurrency: Config.Int("ARGON2_CONCURRENCY").pipe(Config.withDefault(2))
})

export const PasswordHasherArgon2 = Layer.effect(PasswordHasher, Effect.gen(function*() {
  const config = yield* Argon2Config
  const options = { type: argon2id as 2, memoryCost: config.memoryKib, timeCost: config.timeCost, parallelism: config.parallelism }
  // Argon2 runs on libuv's small thread pool (4 threads), which also verifies every request's JWT:
  // a burst of logins holding all 4 stalled authenticated requests for tens of ms (BENCHMARKS.md).
  // Letting only a couple hash at once keeps threads free for everything else.
  const turns = yield* Semaphore.make(config.concurrency)
  const hashWith = (plain: string) => turns.withPermits(1)(Effect.promise(() => hash(plain, options)))
  // A real hash with the same parameters: verifying against it costs what a real check costs.
  const decoy = yield* hashWith("nelo-decoy-password-never-matches")
  return PasswordHasher.of({
    hash: hashWith,
    verify: (stored, plain) =>
      turns.withPermits(1)(Effect.promise(() => verify(stored ?? decoy, plain).catch(() => false))).pipe(
        Effect.map((matches) => matches && stored !== null)
      )
  })
}))
