import { Context, Effect, Layer } from "effect"
import type { UserId } from "../users/User.ts"

/**
 * Told of every PIN compared and found wrong, whichever use case checked it (a transfer, a PIN
 * change): the wallet counts them per day and freezes past its threshold. Auth knows nothing of
 * wallets; the apps provide the wallet's observer. Never fails: the wrong PIN is the answer.
 * Required: an app that forgets the wallet's observer fails at start-up instead of never freezing.
 */
export class WrongPinObserver extends Context.Service<WrongPinObserver, {
  readonly wrongPin: (userId: UserId) => Effect.Effect<void>
}>()("nelo/auth/WrongPinObserver") {
  /** Observes nothing: for tests of auth alone, which have no wallet to freeze. */
  static readonly ignoring = Layer.succeed(WrongPinObserver, { wrongPin: () => Effect.void })
}
