import { Context, type Effect } from "effect"

/** Slow, salted hashing for passwords and PINs (Argon2id in production). */
export class PasswordHasher extends Context.Service<PasswordHasher, {
  readonly hash: (plain: string) => Effect.Effect<string>
  /**
   * Whether `plain` matches `hash`. With no hash (unknown account, no password set) it spends the
   * same time on a decoy and answers false, so timing does not reveal which accounts exist.
   */
  readonly verify: (hash: string | null, plain: string) => Effect.Effect<boolean>
}>()("nelo/auth/PasswordHasher") {}
