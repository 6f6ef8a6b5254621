import { Schema } from "effect"
import { RemittanceAmountInvalid, RemittanceExceedsHeld, RemittanceReferenceInvalid, RemittanceReferenceReused } from "@nelo/domain/earnings/driverCashErrors"
import { driverCashMessages } from "@nelo/domain/earnings/driverCashMessages"
import { IntBetween } from "../shared/bounded.ts"
import { problem } from "../shared/problem.ts"
import { FieldProblem } from "../shared/problems.ts"

// The drivers' cash refusals as the API answers them: status, stable code, French message (the
// table the CLI prints too), and what the admin needs to correct the entry.

const fieldProblems = Schema.Array(FieldProblem).pipe(Schema.check(Schema.isMaxLength(1)))

/** An amount of 0 or less, or not whole (the payload's schema refuses it first: kept for the domain's own check). */
export const RemittanceAmountInvalidProblem = problem(RemittanceAmountInvalid, {
  status: 400,
  codes: ["invalid_request"],
  members: { errors: fieldProblems },
  toMembers: (error) => ({ errors: [{ path: ["amountXof"], message: driverCashMessages.RemittanceAmountInvalid(error) }] }),
  message: driverCashMessages.RemittanceAmountInvalid,
  fromBody: () => new RemittanceAmountInvalid({ amountXof: 0 })
})

/** A reference a receipt never has (the payload's schema refuses it first). */
export const RemittanceReferenceInvalidProblem = problem(RemittanceReferenceInvalid, {
  status: 400,
  codes: ["invalid_request"],
  members: { errors: fieldProblems },
  toMembers: (error) => ({ errors: [{ path: ["reference"], message: driverCashMessages.RemittanceReferenceInvalid(error) }] }),
  message: driverCashMessages.RemittanceReferenceInvalid,
  fromBody: () => new RemittanceReferenceInvalid({})
})

/** More than the driver holds: `heldXof` is what he holds. */
export const RemittanceExceedsHeldProblem = problem(RemittanceExceedsHeld, {
  status: 409,
  codes: ["remittance_exceeds_held"],
  members: { heldXof: IntBetween(0, Number.MAX_SAFE_INTEGER) },
  message: driverCashMessages.RemittanceExceedsHeld
})

/** The reference of another remittance of this driver (another amount or way): the recorded one is given. */
export const RemittanceReferenceReusedProblem = problem(RemittanceReferenceReused, {
  status: 409,
  codes: ["remittance_reference_reused"],
  members: {
    reference: Schema.String.pipe(Schema.check(Schema.isMaxLength(64))),
    recordedXof: IntBetween(1, Number.MAX_SAFE_INTEGER),
    recordedVia: Schema.Literals(["office", "wave"])
  },
  message: driverCashMessages.RemittanceReferenceReused
})
