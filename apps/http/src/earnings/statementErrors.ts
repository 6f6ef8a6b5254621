import { Schema } from "effect"
import { StatementCursorInvalid, StatementPeriodInvalid } from "@nelo/domain/earnings/statementErrors"
import { statementMessages } from "@nelo/domain/earnings/statementMessages"
import { problem } from "../shared/problem.ts"
import { FieldProblem } from "../shared/problems.ts"

// The statements' errors as the API answers them: status, stable code, French message, and the
// query parameter at fault.

const periodCodes = { invalid_date: "invalid_date", from_after_to: "period_reversed", too_long: "period_too_long" } as const

/** A period that is not one: a date that does not exist, from after to, or longer than a year. */
export const StatementPeriodInvalidProblem = problem(StatementPeriodInvalid, {
  status: 400,
  codes: ["invalid_date", "period_reversed", "period_too_long"],
  code: (error) => periodCodes[error.reason],
  members: { errors: Schema.Array(FieldProblem).pipe(Schema.check(Schema.isMaxLength(1))) },
  toMembers: (error) => ({ errors: [{ path: ["query", error.field], message: statementMessages.StatementPeriodInvalid(error) }] }),
  message: statementMessages.StatementPeriodInvalid,
  fromBody: (body) =>
    new StatementPeriodInvalid({
      reason: (Object.keys(periodCodes) as Array<keyof typeof periodCodes>).find((reason) => periodCodes[reason] === body.code)!,
      field: body.errors[0]?.path[1] === "from" ? "from" : "to",
      maximumDays: 366
    })
})

/** A cursor this API did not give out: a 400 naming the parameter, so the app starts again from the top. */
export const StatementCursorInvalidProblem = problem(StatementCursorInvalid, {
  status: 400,
  codes: ["invalid_request"],
  members: { errors: Schema.Array(FieldProblem).pipe(Schema.check(Schema.isMaxLength(1))) },
  toMembers: (error) => ({ errors: [{ path: ["query", "cursor"], message: statementMessages.StatementCursorInvalid(error) }] }),
  message: statementMessages.StatementCursorInvalid,
  fromBody: () => new StatementCursorInvalid()
})
