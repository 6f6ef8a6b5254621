import { randomBytes } from "node:crypto"
import { Clock, Effect, Layer } from "effect"
import { IdGenerator } from "@nelo/domain/shared/IdGenerator"

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits from the CSPRNG.
 * Time-ordered ids keep B-tree inserts at the right edge of the index.
 */
export const uuidV7 = (unixMs: number, random: Uint8Array = randomBytes(10)): string => {
  const bytes = new Uint8Array(16)
  let time = unixMs
  for (let index = 5; index >= 0; index--) {
    bytes[index] = time % 256
    time = Math.floor(time / 256)
  }
  bytes.set(random.subarray(0, 10), 6)
  bytes[6] = (bytes[6]! & 0x0f) | 0x70 // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80 // RFC 9562 variant
  const hex = Buffer.from(bytes).toString("hex")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export const IdGeneratorUuidV7 = Layer.succeed(IdGenerator, IdGenerator.of({
  uuid: Effect.map(Clock.currentTimeMillis, (now) => uuidV7(now))
}))
