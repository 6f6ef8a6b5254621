import { Result, Schema } from "effect"

// Côte d'Ivoire numbers since 31 January 2021: +225 then 10 digits, stored and passed around in
// E.164. The first two national digits say what the line is: 07 Orange, 05 MTN, 01 Moov mobiles;
// 27 Orange, 25 MTN, 21 Moov fixed lines (which cannot receive SMS).
export const Phone = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^\+225(?:01|05|07|21|25|27)\d{8}$/u, { expected: "un numéro ivoirien au format +225XXXXXXXXXX" })),
  Schema.brand("Phone")
)
export type Phone = typeof Phone.Type

export type PhoneOperator = "orange" | "mtn" | "moov"
export type PhoneLine = { readonly kind: "mobile" | "fixed"; readonly operator: PhoneOperator }

const lines: Readonly<Record<string, PhoneLine>> = {
  "07": { kind: "mobile", operator: "orange" },
  "05": { kind: "mobile", operator: "mtn" },
  "01": { kind: "mobile", operator: "moov" },
  "27": { kind: "fixed", operator: "orange" },
  "25": { kind: "fixed", operator: "mtn" },
  "21": { kind: "fixed", operator: "moov" }
}

/** Why a typed number is not a phone we can use. */
export type PhoneProblem = "malformed" | "unknown_prefix"

/**
 * Reads a number the way people write it in Côte d'Ivoire (`+225 07 01 02 03 04`, `0701020304`,
 * `07 01 02 03 04`, `002250701020304`, with spaces, dots or dashes) into E.164.
 */
export const parsePhone = (input: string): Result.Result<Phone, PhoneProblem> => {
  const trimmed = input.trim()
  if (!/^[+\d][\d\s.-]*$/u.test(trimmed)) return Result.fail("malformed")
  const digits = trimmed.replace(/\D/gu, "")
  const international = trimmed.startsWith("+")
  let national: string
  if (international && digits.length === 13 && digits.startsWith("225")) national = digits.slice(3)
  else if (!international && digits.length === 15 && digits.startsWith("00225")) national = digits.slice(5)
  else if (!international && digits.length === 13 && digits.startsWith("225")) national = digits.slice(3)
  else if (!international && digits.length === 10) national = digits
  else return Result.fail("malformed")
  if (!(national.slice(0, 2) in lines)) return Result.fail("unknown_prefix")
  return Result.succeed(`+225${national}` as Phone)
}

/** The kind and operator of a stored phone. */
export const phoneLine = (phone: Phone): PhoneLine => lines[phone.slice(4, 6)]!

/** Fixed lines cannot receive SMS: an OTP or an SMS notification can only go to a mobile. */
export const canReceiveSms = (phone: Phone): boolean => phoneLine(phone).kind === "mobile"
