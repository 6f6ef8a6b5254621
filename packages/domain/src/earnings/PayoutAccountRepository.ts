import { Context, type Effect, type Option } from "effect"
import type { Phone } from "../shared/Phone.ts"
import type { EarningsUnavailable } from "./errors.ts"
import type { Payee } from "./Payout.ts"
import type { PayoutAccount, PayoutAccountChange } from "./PayoutAccount.ts"

/** The payees' payout numbers and the log of their changes. */
export class PayoutAccountRepository extends Context.Service<PayoutAccountRepository, {
  readonly find: (payee: Payee) => Effect.Effect<Option.Option<PayoutAccount>, EarningsUnavailable>
  /** The accounts of these payees, in one read (a payout run asks for thousands). */
  readonly findMany: (payees: ReadonlyArray<Payee>) => Effect.Effect<ReadonlyArray<PayoutAccount>, EarningsUnavailable>
  /** Records a number waiting for its code (replacing any other pending one), opening the account on first use. */
  readonly setPending: (payee: Payee, pending: { readonly mobile: Phone; readonly holderName: string; readonly at: Date }) => Effect.Effect<void, EarningsUnavailable>
  /**
   * Makes the pending number the confirmed one, with the hold (null: none) and the change logged,
   * if the pending number is still `mobile` (a second code asked for another number meanwhile wins).
   * False when it is not.
   */
  readonly confirm: (payee: Payee, confirmed: { readonly mobile: Phone; readonly at: Date; readonly heldUntil: Date | null; readonly changedBy: string }) => Effect.Effect<boolean, EarningsUnavailable>
  /** The payee's changes of number, oldest first. */
  readonly changes: (payee: Payee) => Effect.Effect<ReadonlyArray<PayoutAccountChange>, EarningsUnavailable>
}>()("nelo/earnings/PayoutAccountRepository") {}
