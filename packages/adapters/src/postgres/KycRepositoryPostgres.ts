import { Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import { AuthStoreUnavailable } from "@nelo/domain/auth/errors"
import type { KycDocument, KycDocumentType, KycState, KycStatus } from "@nelo/domain/users/Kyc"
import { KycRepository } from "@nelo/domain/users/KycRepository"
import type { UserId } from "@nelo/domain/users/User"
import { isUuid } from "./isUuid.ts"

interface StatusRow {
  readonly userId: string
  readonly kycStatus: string
  readonly kycRejectionReason: string | null
  readonly kycReviewedAt: Date | null
}

interface DocumentRow {
  readonly id: string
  readonly userId: string
  readonly type: string
  readonly storageKey: string
  readonly contentType: string
  readonly sizeBytes: number
  readonly uploadedAt: Date
}

// The CHECK constraints of migration 0004 guarantee the literal values.
const toDocument = (row: DocumentRow): KycDocument => ({
  id: row.id,
  userId: row.userId as UserId,
  type: row.type as KycDocumentType,
  storageKey: row.storageKey,
  contentType: row.contentType,
  sizeBytes: row.sizeBytes,
  uploadedAt: row.uploadedAt
})

const unavailable = (cause: unknown) => new AuthStoreUnavailable({ cause })

export const KycRepositoryPostgres = Layer.effect(KycRepository, Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // One query for the statuses, one for all their documents: no query per user.
  const states = (statuses: ReadonlyArray<StatusRow>) =>
    Effect.gen(function*() {
      if (statuses.length === 0) return []
      const documents = yield* sql<DocumentRow>`
        SELECT id, user_id, type, storage_key, content_type, size_bytes, uploaded_at FROM users.kyc_documents
        WHERE user_id IN ${sql.in(statuses.map((status) => status.userId))} ORDER BY uploaded_at, id`
      return statuses.map((status): KycState => ({
        userId: status.userId as UserId,
        status: status.kycStatus as KycStatus,
        rejectionReason: status.kycRejectionReason,
        reviewedAt: status.kycReviewedAt,
        documents: documents.filter((document) => document.userId === status.userId).map(toDocument)
      }))
    })

  return KycRepository.of({
    addDocument: (document) =>
      sql.withTransaction(Effect.gen(function*() {
        yield* sql`INSERT INTO users.kyc_documents ${sql.insert({
          id: document.id,
          userId: document.userId,
          type: document.type,
          storageKey: document.storageKey,
          contentType: document.contentType,
          sizeBytes: document.sizeBytes,
          uploadedAt: document.uploadedAt
        })}`
        yield* sql`UPDATE users.users SET kyc_status = 'pending', kyc_rejection_reason = NULL, kyc_reviewed_at = NULL, updated_at = now() WHERE id = ${document.userId}`
      })).pipe(Effect.mapError(unavailable)),

    stateOf: (userId) =>
      sql<StatusRow>`SELECT id AS user_id, kyc_status, kyc_rejection_reason, kyc_reviewed_at FROM users.users WHERE id = ${userId}`.pipe(
        Effect.flatMap(states),
        Effect.map((found) => Option.fromNullishOr(found[0])),
        Effect.mapError(unavailable)
      ),

    statusOf: (userId) =>
      sql<{ kycStatus: string }>`SELECT kyc_status FROM users.users WHERE id = ${userId}`.pipe(
        Effect.map((rows) => (rows[0]?.kycStatus ?? "none") as KycStatus),
        Effect.mapError(unavailable)
      ),

    statusesOf: (userIds) => {
      // Ids naming no uuid name no user ("none"), without reaching the uuid column. Postgres answers
      // uuids in lower case, whatever case they were asked in.
      const asked = [...new Set(userIds.filter(isUuid).map((id) => id.toLowerCase()))]
      const statuses = (found: ReadonlyMap<string, KycStatus>) =>
        new Map(userIds.map((id) => [id, found.get(id.toLowerCase()) ?? "none"]))
      if (asked.length === 0) return Effect.succeed(statuses(new Map()))
      return sql<{ id: string; kycStatus: string }>`SELECT id, kyc_status FROM users.users WHERE id = ANY(${asked}::uuid[])`.pipe(
        Effect.map((rows) => statuses(new Map(rows.map((row) => [row.id, row.kycStatus as KycStatus])))),
        Effect.mapError(unavailable)
      )
    },

    pending: sql<StatusRow>`
      SELECT u.id AS user_id, u.kyc_status, u.kyc_rejection_reason, u.kyc_reviewed_at FROM users.users u
      WHERE u.kyc_status = 'pending'
      ORDER BY (SELECT min(d.uploaded_at) FROM users.kyc_documents d WHERE d.user_id = u.id), u.id`.pipe(
      Effect.flatMap(states),
      Effect.mapError(unavailable)
    ),

    review: (userId, decision, at) =>
      sql`
        UPDATE users.users SET kyc_status = ${decision.status},
          kyc_rejection_reason = ${decision.status === "rejected" ? decision.reason : null},
          kyc_reviewed_at = ${at}, updated_at = now()
        WHERE id = ${userId} AND kyc_status = 'pending'
        RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.mapError(unavailable)
      )
  })
}))
