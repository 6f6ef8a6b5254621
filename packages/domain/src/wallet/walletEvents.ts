import { Schema } from "effect"

/** Payload of `wallet.frozen` and `wallet.unfrozen`: whose wallet, why, and who decided (an admin, or a rule). */
export const WalletFreezeChanged = Schema.Struct({
  userId: Schema.String,
  accountId: Schema.String,
  reason: Schema.String,
  causedBy: Schema.Struct({ kind: Schema.Literals(["admin", "system"]), id: Schema.String })
})
export type WalletFreezeChanged = typeof WalletFreezeChanged.Type
