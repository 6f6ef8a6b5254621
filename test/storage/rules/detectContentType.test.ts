import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { detectContentType } from "@nelo/domain/storage/detectContentType"

describe("detectContentType", () => {
  it("recognises JPEG, PNG, WebP and PDF from their first bytes", () => {
    expect(detectContentType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg")
    expect(detectContentType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe("image/png")
    expect(detectContentType(new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WEBPVP8 "))).toBe("image/webp")
    expect(detectContentType(new TextEncoder().encode("%PDF-1.7"))).toBe("application/pdf")
  })

  it("refuses everything else, including truncated signatures and a RIFF that is not WebP", () => {
    for (const text of ["", "GIF89a", "<svg xmlns=", "RIFF\u0000\u0000\u0000\u0000WAVE", "%PDF", "PK\u0003\u0004"]) {
      expect(detectContentType(new TextEncoder().encode(text)), text).toBeUndefined()
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }).filter((bytes) => bytes[0] !== 0xff && bytes[0] !== 0x89 && bytes[0] !== 0x52 && bytes[0] !== 0x25), (bytes) => {
      expect(detectContentType(bytes)).toBeUndefined()
    }))
  })
})
