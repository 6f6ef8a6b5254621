import { Schema } from "effect"

/** A remittance of 0 F or less, or of a fraction of a franc: nothing to hand in. */
export class RemittanceAmountInvalid extends Schema.TaggedError<RemittanceAmountInvalid>()("RemittanceAmountInvalid", {
  amountXof: Schema.Number
}) {}

/**
 * A remittance over the cash the driver holds for NELO: he never hands in more than he owes.
 * `heldXof` is what he holds (read under the lock of his cash in hand).
 */
export class RemittanceExceedsHeld extends Schema.TaggedError<RemittanceExceedsHeld>()("RemittanceExceedsHeld", {
  heldXof: Schema.Number
}) {}

/**
 * The reference of a remittance already recorded for this driver, with another amount or another
 * way of handing it in: the same remittance is written once, a different one needs its own
 * reference. The recorded remittance's amount and way are given to compare.
 */
export class RemittanceReferenceReused extends Schema.TaggedError<RemittanceReferenceReused>()("RemittanceReferenceReused", {
  reference: Schema.String,
  recordedXof: Schema.Number,
  recordedVia: Schema.Literals(["office", "wave"])
}) {}

/** A remittance reference that is empty, too long or has characters a receipt number never has. */
export class RemittanceReferenceInvalid extends Schema.TaggedError<RemittanceReferenceInvalid>()("RemittanceReferenceInvalid", {}) {}
