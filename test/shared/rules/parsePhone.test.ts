import fc from "fast-check"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { canReceiveSms, parsePhone, phoneLine } from "@nelo/domain/shared/Phone"

const prefixes = ["01", "05", "07", "21", "25", "27"] as const
const nationalNumber = fc.tuple(fc.constantFrom(...prefixes), fc.stringMatching(/^\d{8}$/u)).map(([prefix, rest]) => prefix + rest)

/** The ways people write the same number, with the separators they use. */
const written = nationalNumber.chain((national) =>
  fc.tuple(
    fc.constant(national),
    fc.constantFrom("", " ", ".", "-"),
    fc.constantFrom("local", "plus", "doubleZero", "bare225")
  ).map(([number, separator, style]) => {
    const pairs = number.match(/\d{2}/gu)!.join(separator)
    const text = { local: pairs, plus: `+225 ${pairs}`, doubleZero: `00225${separator}${pairs}`, bare225: `225${pairs}` }[style]
    return { national: number, text }
  }))

describe("parsePhone", () => {
  it("reads every usual spelling of a number into the same E.164 form", () => {
    fc.assert(fc.property(written, fc.constantFrom("", " ", "  "), ({ national, text }, padding) => {
      expect(parsePhone(padding + text + padding)).toEqual(Result.succeed(`+225${national}`))
    }))
  })

  it("is idempotent: a stored number reads back as itself", () => {
    fc.assert(fc.property(nationalNumber, (national) => {
      const once = Result.getOrThrow(parsePhone(national))
      expect(parsePhone(once)).toEqual(Result.succeed(once))
    }))
  })

  it("refuses numbers of the wrong length, letters and other countries", () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{1,9}$|^\d{11,12}$/u), (digits) => {
      expect(parsePhone(digits)).toEqual(Result.fail("malformed"))
    }))
    for (const text of ["", "   ", "07 01 02 03 0A", "+33 6 12 34 56 78", "+2250701020304 5", "phone", "+225 07 01 02 03", "0 7 0 1"]) {
      expect(Result.isFailure(parsePhone(text)), text).toBe(true)
    }
  })

  it("refuses prefixes that are neither mobile nor fixed", () => {
    fc.assert(fc.property(fc.stringMatching(/^(?:0[02346789]|[1-9]\d)\d{8}$/u).filter((n) => !prefixes.includes(n.slice(0, 2) as never)), (national) => {
      expect(parsePhone(national)).toEqual(Result.fail("unknown_prefix"))
    }))
  })

  it("knows the operator and that fixed lines cannot receive SMS", () => {
    const phone = (text: string) => Result.getOrThrow(parsePhone(text))
    expect(phoneLine(phone("0701020304"))).toEqual({ kind: "mobile", operator: "orange" })
    expect(phoneLine(phone("0501020304"))).toEqual({ kind: "mobile", operator: "mtn" })
    expect(phoneLine(phone("0101020304"))).toEqual({ kind: "mobile", operator: "moov" })
    expect(canReceiveSms(phone("27 22 44 55 66"))).toBe(false)
    expect(canReceiveSms(phone("+225 07 01 02 03 04"))).toBe(true)
  })
})
