import { Schema } from "effect"
import type { UserId } from "./User.ts"

export const KycDocumentType = Schema.Literals(["national_id", "driving_licence", "vehicle_registration", "business_registration", "selfie"])
export type KycDocumentType = typeof KycDocumentType.Type

/** none → pending (a document was sent) → approved | rejected (with a reason); a new document sends it back to pending. */
export const KycStatus = Schema.Literals(["none", "pending", "approved", "rejected"])
export type KycStatus = typeof KycStatus.Type

export interface KycDocument {
  readonly id: string
  readonly userId: UserId
  readonly type: KycDocumentType
  readonly storageKey: string
  readonly contentType: string
  readonly sizeBytes: number
  readonly uploadedAt: Date
}

export interface KycState {
  readonly userId: UserId
  readonly status: KycStatus
  readonly rejectionReason: string | null
  readonly reviewedAt: Date | null
  readonly documents: ReadonlyArray<KycDocument>
}
