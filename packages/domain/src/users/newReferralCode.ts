import { Effect } from "effect"
import { AuthCrypto } from "../auth/AuthCrypto.ts"
import { type ReferralCode, referralAlphabet, referralCodeLength } from "./User.ts"

/** A fresh referral code; 32^8 ≈ 10^12 codes, so collisions are rare and handled by drawing again. */
export const makeNewReferralCode = AuthCrypto.useSync((crypto) =>
  Effect.map(crypto.newCode(referralAlphabet, referralCodeLength), (code) => code as ReferralCode))
