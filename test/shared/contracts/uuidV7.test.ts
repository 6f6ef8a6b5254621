import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"

describe("uuidV7", () => {
  it("is a version 7, RFC 9562 variant UUID whose first 48 bits are the time in ms", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), fc.uint8Array({ minLength: 10, maxLength: 10 }), (unixMs, random) => {
      const id = uuidV7(unixMs, random)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u)
      expect(Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBe(unixMs)
    }))
  })

  it("sorts by time: an id made in a later millisecond sorts after", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.integer({ min: 1, max: 2 ** 40 }), (earlier, gap) => {
      expect(uuidV7(earlier) < uuidV7(earlier + gap)).toBe(true)
    }))
  })
})
