import { Schema } from "effect"
import { isPlainText } from "../shared/plainText.ts"
import type { Xof } from "../shared/Xof.ts"

/** How a driver hands NELO's cash in: at the office (office_cash), or sent by Wave to NELO (Wave's clearing). */
export const RemittanceVia = Schema.Literals(["office", "wave"])
export type RemittanceVia = typeof RemittanceVia.Type

/**
 * What names a remittance for its driver: the receipt number of the office's book, the Wave
 * transaction id. 1 to 64 letters, digits and `_ . : / -`, no spaces: typed twice, it names the
 * same remittance.
 */
export const RemittanceReference = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$/u, { expected: "une référence de 1 à 64 caractères (lettres, chiffres, _ . : / -), sans espace" }))
)

/** What the admin writes about it (who brought it, a count of notes). */
export const RemittanceNote = Schema.String.pipe(Schema.check(isPlainText, Schema.isMaxLength(500)))

/**
 * The one ledger transaction of a driver's remittance under a reference: the same remittance
 * entered twice (a double click, the CLI run again) is written once. Per driver: two drivers'
 * receipts may share a number.
 */
export const remittanceKey = (driverId: string, reference: string) => `cash-remittance:${driverId.toLowerCase()}:${reference}`

/** A remittance as recorded, and the cash the driver holds after it. */
export interface Remittance {
  readonly transactionId: string
  readonly driverId: string
  readonly amountXof: Xof
  readonly reference: string
  readonly via: RemittanceVia
  readonly note: string | null
  /** The admin who recorded it. */
  readonly recordedBy: string
  readonly createdAt: Date
  /** What the driver holds for NELO now (after this remittance, and whatever happened since on a replay). */
  readonly cashHeldXof: Xof
  /** True when this reference was recorded before with the same amount and way: nothing new was written. */
  readonly replayed: boolean
}
