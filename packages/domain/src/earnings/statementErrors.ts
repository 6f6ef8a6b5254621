import { Schema } from "effect"

/**
 * A statement's or a report's period refused: a date that is not one (`invalid_date`, naming the
 * field), `from` after `to`, or longer than `maximumDays`. Dates are Abidjan's days, `to` included.
 */
export class StatementPeriodInvalid extends Schema.TaggedError<StatementPeriodInvalid>()("StatementPeriodInvalid", {
  reason: Schema.Literals(["invalid_date", "from_after_to", "too_long"]),
  field: Schema.Literals(["from", "to", "at"]),
  maximumDays: Schema.Number
}) {}

/** A statement cursor this API did not give out (the id of a statement line). */
export class StatementCursorInvalid extends Schema.TaggedError<StatementCursorInvalid>()("StatementCursorInvalid", {}) {}
