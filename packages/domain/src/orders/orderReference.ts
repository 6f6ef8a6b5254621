import { Effect } from "effect"
import { AuthCrypto } from "../auth/AuthCrypto.ts"

/** Crockford's base32: no I, L, O or U, so a reference read out on the phone is not misheard. */
export const crockfordAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

export const orderReferencePattern = /^ORD-[0-9A-HJKMNP-TV-Z]{8}$/u

/** A fresh reference, ORD- and 8 characters (32^8 ≈ 10^12): a collision is drawn again by the caller. */
export const makeNewOrderReference = AuthCrypto.useSync((crypto) => Effect.map(crypto.newCode(crockfordAlphabet, 8), (code) => `ORD-${code}`))
