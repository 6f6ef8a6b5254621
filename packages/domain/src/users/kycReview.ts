import { Clock, Effect, Option, Schema } from "effect"
import { IdGenerator } from "../shared/IdGenerator.ts"
import { type DetectedContentType, detectContentType, extensionOf, maximumUploadBytes } from "../storage/detectContentType.ts"
import { ObjectStorage } from "../storage/ObjectStorage.ts"
import type { KycDocumentType, KycState } from "./Kyc.ts"
import { KycRepository } from "./KycRepository.ts"
import type { UserId } from "./User.ts"
import { FileTooLarge, UnsupportedFileType } from "./uploadErrors.ts"

export class KycNotPending extends Schema.TaggedError<KycNotPending>()("KycNotPending", {}) {}
export class RejectionReasonRequired extends Schema.TaggedError<RejectionReasonRequired>()("RejectionReasonRequired", {}) {}

const documentTypes: ReadonlyArray<DetectedContentType> = ["image/jpeg", "image/png", "image/webp", "application/pdf"]

/** A signed link to a KYC file lives this long: enough to open it, too short to pass it around. */
export const kycLinkSeconds = 300

const emptyState = (userId: UserId): KycState => ({ userId, status: "none", rejectionReason: null, reviewedAt: null, documents: [] })

/** Identity documents: the person sends them, an admin decides. */
export const makeKyc = Effect.gen(function*() {
  const kyc = yield* KycRepository
  const storage = yield* ObjectStorage
  const ids = yield* IdGenerator

  /** Stores an identity document privately and puts the user's KYC back to pending review. */
  const submitDocument = Effect.fn("submitKycDocument")(function*(userId: UserId, type: KycDocumentType, bytes: Uint8Array) {
    if (bytes.length > maximumUploadBytes) return yield* new FileTooLarge({ maximumBytes: maximumUploadBytes })
    const contentType = detectContentType(bytes)
    if (contentType === undefined || !documentTypes.includes(contentType)) return yield* new UnsupportedFileType({ accepted: [...documentTypes] })
    const id = yield* ids.uuid
    const storageKey = `kyc/${userId}/${id}.${extensionOf[contentType]}`
    yield* storage.put(storageKey, bytes, { contentType, visibility: "private" })
    const document = { id, userId, type, storageKey, contentType, sizeBytes: bytes.length, uploadedAt: new Date(yield* Clock.currentTimeMillis) }
    yield* kyc.addDocument(document)
    return document
  })

  /** The user's KYC (or any user's, for admins), each document with a short-lived signed link. */
  const overview = Effect.fn("kycOverview")(function*(userId: UserId) {
    const state = Option.getOrElse(yield* kyc.stateOf(userId), () => emptyState(userId))
    const documents = yield* Effect.forEach(state.documents, (document) =>
      Effect.map(storage.signedUrl(document.storageKey, kycLinkSeconds), (url) => ({ ...document, url })))
    return { ...state, documents }
  })

  const pending = kyc.pending.pipe(Effect.withSpan("pendingKyc"))

  /** An admin's decision on a pending KYC; a rejection says why, for the user to fix it. */
  const review = Effect.fn("reviewKyc")(function*(userId: UserId, decision: { readonly approve: true } | { readonly approve: false; readonly reason: string }) {
    if (!decision.approve && decision.reason.trim().length === 0) return yield* new RejectionReasonRequired()
    const at = new Date(yield* Clock.currentTimeMillis)
    const changed = yield* kyc.review(userId, decision.approve ? { status: "approved" } : { status: "rejected", reason: decision.reason.trim() }, at)
    if (!changed) return yield* new KycNotPending()
  })

  return { submitDocument, overview, pending, review }
})
