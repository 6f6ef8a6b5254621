import { Schema, SchemaTransformation } from "effect"

// Bounds for the contract: every string a maximum length, every integer a range and a format, so a
// client generator gets types a mobile team can use as they are and nothing unbounded crosses the wire.
// test/api/http/openApiContract.test.ts walks the OpenAPI and names any schema that escapes these rules.

/** Text of at most `maximumLength` characters. */
export const Text = (maximumLength: number) => Schema.String.pipe(Schema.check(Schema.isMaxLength(maximumLength)))

/** An id as the API writes it (UUIDs, and room for other opaque ids). */
export const Id = Text(64)

/** An instant as ISO 8601 text in UTC. */
export const Instant = Text(40)

const int32 = { minimum: -(2 ** 31), maximum: 2 ** 31 - 1 }

/**
 * A whole number in [minimum, maximum], with its OpenAPI format: int32 when the range fits in 32 bits,
 * int64 otherwise (generators then pick Int / Long). The format is a JSON Schema annotation of the
 * number itself, so the OpenAPI shows `{ type: integer, format, minimum, maximum }` and decoding is
 * exactly Schema.Int's (finite, whole, then the range).
 */
export const IntBetween = (minimum: number, maximum: number) =>
  Schema.Number.annotate({ format: minimum >= int32.minimum && maximum <= int32.maximum ? "int32" : "int64" })
    .pipe(Schema.check(Schema.isInt(), Schema.isBetween({ minimum, maximum })))

/** Whole francs as JSON numbers: exact up to 2^53, which no amount reaches. */
export const Francs = IntBetween(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)

/** Francs within bounds, decoded as the domain's Xof (same brand): what a request's amount becomes. */
export const FrancsBetween = (minimum: number, maximum: number) => IntBetween(minimum, maximum).pipe(Schema.brand("Xof"))

/** A finite number in [minimum, maximum] (Schema.Number's JSON form would also admit "NaN" and "Infinity"). */
export const FiniteBetween = (minimum: number, maximum: number) =>
  Schema.Finite.pipe(Schema.check(Schema.isBetween({ minimum, maximum })))

/** A WGS 84 position, with GeoPoint's bounds on finite numbers: the same values pass, and the OpenAPI shows the bounds. */
export const Latitude = FiniteBetween(-90, 90)
export const Longitude = FiniteBetween(-180, 180)
export const Point = Schema.Struct({ lat: Latitude, lng: Longitude })

// A number in a query string arrives as text. Left to the framework, its OpenAPI is a string of any
// length; these say what is accepted: decimal text (the framework's own pattern, same message when it
// does not match) of at most 64 characters, then the number's own checks.
const decimalText = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[Ee][+-]?\d+)?$/u
const maximumNumberTextLength = 64

const numberText = (description: string) =>
  Schema.String.annotate({ description }).pipe(Schema.check(
    Schema.isPattern(decimalText, { expected: "a string representing a finite number" }),
    Schema.isMaxLength(maximumNumberTextLength)
  ))

/** A whole number in [minimum, maximum] sent as query text (`?limit=20`). */
export const IntFromQuery = (minimum: number, maximum: number) =>
  numberText(`Entier de ${minimum} à ${maximum}, en décimal.`).pipe(Schema.decodeTo(IntBetween(minimum, maximum), SchemaTransformation.numberFromString))

/** A finite number in [minimum, maximum] sent as query text (`?lat=5.89`). */
export const FiniteFromQuery = (minimum: number, maximum: number) =>
  numberText(`Nombre de ${minimum} à ${maximum}, en décimal.`).pipe(Schema.decodeTo(FiniteBetween(minimum, maximum), SchemaTransformation.numberFromString))
