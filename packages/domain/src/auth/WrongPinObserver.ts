import { Context, Effect } from "effect"
import type { UserId } from "../users/User.ts"

/**
 * Told of every PIN compared and found wrong, whichever use case checked it (a transfer, a PIN
 * change): the wallet counts them per day and freezes past its threshold. Auth knows nothing of
 * wallets; the apps provide the wallet's observer. Never fails: the wrong PIN is the answer.
 */
export const WrongPinObserver = Context.Reference<{ readonly wrongPin: (userId: UserId) => Effect.Effect<void> }>("nelo/auth/WrongPinObserver", {
  defaultValue: () => ({ wrongPin: () => Effect.void })
})
