import { Clock, Effect, Layer, Option } from "effect"
import type { OtpKey } from "@nelo/domain/auth/OtpStore"
import { OtpStore } from "@nelo/domain/auth/OtpStore"
import { expiringEntries } from "./expiringEntries.ts"

/** In-memory one-time codes for tests and local runs; an attempt never extends a code's life. */
export const OtpStoreMemory = Layer.sync(OtpStore, () => {
  const codes = expiringEntries<{ readonly codeDigest: string; readonly attempts: number }>()
  const otpKey = ({ phone, purpose }: OtpKey) => `${phone}:${purpose}`

  return OtpStore.of({
    put: (otp, codeDigest, ttlMs) =>
      Effect.map(Clock.currentTimeMillis, (nowMs) => codes.write(otpKey(otp), { codeDigest, attempts: 0 }, nowMs + ttlMs)),
    recordAttempt: (otp) =>
      Effect.map(Clock.currentTimeMillis, (nowMs) => {
        const live = codes.read(otpKey(otp), nowMs)
        if (!live) return Option.none()
        const counted = { codeDigest: live.value.codeDigest, attempts: live.value.attempts + 1 }
        codes.write(otpKey(otp), counted, live.expiresAtMs)
        return Option.some(counted)
      }),
    burn: (otp) =>
      Effect.map(Clock.currentTimeMillis, (nowMs) => {
        const live = codes.read(otpKey(otp), nowMs) !== undefined
        codes.remove(otpKey(otp))
        return live
      })
  })
})
