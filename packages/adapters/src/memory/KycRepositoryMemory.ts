import { Effect, Layer, Option } from "effect"
import type { KycDocument, KycState, KycStatus } from "@nelo/domain/users/Kyc"
import { KycRepository } from "@nelo/domain/users/KycRepository"
import type { UserId } from "@nelo/domain/users/User"

/** In-memory KYC for unit tests. A user is known once they have a document (Postgres knows every user). */
export const KycRepositoryMemory = Layer.sync(KycRepository, () => {
  const reviews = new Map<UserId, { status: KycStatus; rejectionReason: string | null; reviewedAt: Date | null }>()
  const documents: Array<KycDocument> = []
  const stateOf = (userId: UserId): KycState => ({
    userId,
    ...(reviews.get(userId) ?? { status: "none", rejectionReason: null, reviewedAt: null }),
    documents: documents.filter((document) => document.userId === userId)
  })
  return KycRepository.of({
    addDocument: (document) =>
      Effect.sync(() => {
        documents.push(document)
        reviews.set(document.userId, { status: "pending", rejectionReason: null, reviewedAt: null })
      }),
    stateOf: (userId) => Effect.sync(() => (reviews.has(userId) ? Option.some(stateOf(userId)) : Option.none())),
    statusOf: (userId) => Effect.sync(() => reviews.get(userId)?.status ?? "none"),
    statusesOf: (userIds) => Effect.sync(() => new Map(userIds.map((userId) => [userId, reviews.get(userId)?.status ?? "none"]))),
    pending: Effect.sync(() =>
      [...reviews.entries()]
        .filter(([, review]) => review.status === "pending")
        .map(([userId]) => stateOf(userId))
        .sort((a, b) => a.documents[0]!.uploadedAt.getTime() - b.documents[0]!.uploadedAt.getTime())),
    review: (userId, decision, at) =>
      Effect.sync(() => {
        if (reviews.get(userId)?.status !== "pending") return false
        reviews.set(userId, { status: decision.status, rejectionReason: decision.status === "rejected" ? decision.reason : null, reviewedAt: at })
        return true
      })
  })
})
