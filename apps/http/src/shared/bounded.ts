import { Schema } from "effect"

// Bounds for the contract: every string a maximum length, every integer a range, so a client
// generator gets types a mobile team can use as they are and nothing unbounded crosses the wire.

/** Text of at most `maximumLength` characters. */
export const Text = (maximumLength: number) => Schema.String.pipe(Schema.check(Schema.isMaxLength(maximumLength)))

/** An id as the API writes it (UUIDs, and room for other opaque ids). */
export const Id = Text(64)

/** An instant as ISO 8601 text in UTC. */
export const Instant = Text(40)

/** A whole number in [minimum, maximum]. */
export const IntBetween = (minimum: number, maximum: number) => Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum, maximum })))

/** Whole francs as JSON numbers: exact up to 2^53, which no amount reaches. */
export const Francs = IntBetween(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
