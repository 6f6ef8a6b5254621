import { Schema } from "effect"
import { Phone } from "../shared/Phone.ts"
import { isPlainText } from "../shared/plainText.ts"

export const UserId = Schema.String.pipe(Schema.brand("UserId"))
export type UserId = typeof UserId.Type

export const Role = Schema.Literals(["client", "provider", "driver", "admin"])
export type Role = typeof Role.Type

export const Language = Schema.Literals(["fr", "en"])
export type Language = typeof Language.Type

/** Referral codes avoid characters people confuse when reading them aloud or off a screen (Crockford). */
export const referralAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
export const referralCodeLength = 8
export const ReferralCode = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[0-9A-HJKMNP-TV-Z]{8}$/u, { expected: "un code de parrainage de 8 caractères" })),
  Schema.brand("ReferralCode")
)
export type ReferralCode = typeof ReferralCode.Type

export interface User {
  readonly id: UserId
  readonly phone: Phone
  readonly fullName: string
  readonly email: string | null
  readonly language: Language
  readonly roles: ReadonlyArray<Role>
  readonly referralCode: ReferralCode
  readonly referredBy: UserId | null
  readonly hasPassword: boolean
  readonly hasPin: boolean
  /** Where the photo is in ObjectStorage (public); null without one. */
  readonly avatarKey: string | null
  readonly createdAt: Date
}

export const FullName = Schema.String.pipe(
  Schema.check(isPlainText, Schema.isTrimmed({ expected: "un nom sans espaces au début ni à la fin" }), Schema.isMinLength(2), Schema.isMaxLength(100))
)
export const Email = Schema.String.pipe(
  Schema.check(Schema.isMaxLength(254), Schema.isPattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/u, { expected: "une adresse e-mail valide" }))
)
