import type { Phone } from "../shared/Phone.ts"
import type { OtpPurpose } from "./OtpPurpose.ts"

/** What is digested for a code: bound to its phone and purpose, so a digest is useless elsewhere. */
export const otpDigestInput = (phone: Phone, purpose: OtpPurpose, code: string) => `otp:${phone}:${purpose}:${code}`
