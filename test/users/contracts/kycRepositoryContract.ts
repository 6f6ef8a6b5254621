import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { uuidV7 } from "@nelo/adapters/ids/IdGeneratorUuidV7"
import type { KycDocumentType, KycStatus } from "@nelo/domain/users/Kyc"
import { KycRepository } from "@nelo/domain/users/KycRepository"
import type { UserId } from "@nelo/domain/users/User"
import { UserRepository } from "@nelo/domain/users/UserRepository"
import { makeNewUser } from "./userRepositoryContract.ts"

const document = (userId: UserId, type: KycDocumentType, uploadedAt: Date) => {
  const id = uuidV7(Date.now())
  return { id, userId, type, storageKey: `kyc/${userId}/${id}.pdf`, contentType: "application/pdf", sizeBytes: 1234, uploadedAt }
}

/** One suite, run against every KycRepository adapter. */
export const kycRepositoryContract = (name: string, repositoryLayer: Layer.Layer<KycRepository | UserRepository, unknown>) =>
  layer(repositoryLayer, { excludeTestServices: true })(`KycRepository contract: ${name}`, (it) => {
    it.effect("none → pending on a document → rejected with a reason → pending again → approved", () =>
      Effect.gen(function*() {
        const kyc = yield* KycRepository
        const user = (yield* (yield* UserRepository).create(makeNewUser())).id
        const before = yield* kyc.stateOf(user)
        assert.isTrue(Option.isNone(before) || before.value.status === "none")
        assert.isFalse(yield* kyc.review(user, { status: "approved" }, new Date()), "nothing to review yet")
        assert.strictEqual(yield* kyc.statusOf(user), "none")

        const licence = document(user, "driving_licence", new Date(1_000))
        yield* kyc.addDocument(licence)
        const pending = Option.getOrThrow(yield* kyc.stateOf(user))
        assert.strictEqual(pending.status, "pending")
        assert.strictEqual(yield* kyc.statusOf(user), "pending")
        assert.deepStrictEqual(pending.documents, [licence])
        assert.isTrue((yield* kyc.pending).some((state) => state.userId === user))

        assert.isTrue(yield* kyc.review(user, { status: "rejected", reason: "Photo floue" }, new Date(2_000)))
        const rejected = Option.getOrThrow(yield* kyc.stateOf(user))
        assert.strictEqual(rejected.status, "rejected")
        assert.strictEqual(yield* kyc.statusOf(user), "rejected")
        assert.strictEqual(rejected.rejectionReason, "Photo floue")
        assert.deepStrictEqual(rejected.reviewedAt, new Date(2_000))
        assert.isFalse(yield* kyc.review(user, { status: "approved" }, new Date()), "a decided review is not pending")
        assert.isFalse((yield* kyc.pending).some((state) => state.userId === user))

        yield* kyc.addDocument(document(user, "driving_licence", new Date(3_000)))
        const resubmitted = Option.getOrThrow(yield* kyc.stateOf(user))
        assert.strictEqual(resubmitted.status, "pending")
        assert.isNull(resubmitted.rejectionReason)
        assert.strictEqual(resubmitted.documents.length, 2)
        assert.isTrue(yield* kyc.review(user, { status: "approved" }, new Date(4_000)))
        assert.strictEqual(Option.getOrThrow(yield* kyc.stateOf(user)).status, "approved")
        assert.strictEqual(yield* kyc.statusOf(user), "approved")
      }))

    it.effect("statusesOf reads the statuses of many users at once, none for a user never reviewed or unknown", () =>
      Effect.gen(function*() {
        const kyc = yield* KycRepository
        const users = yield* UserRepository
        const [fresh, pending, approved, rejected] = yield* Effect.forEach(Array.from({ length: 4 }), () => Effect.map(users.create(makeNewUser()), (user) => user.id))
        yield* kyc.addDocument(document(pending!, "national_id", new Date(1_000)))
        yield* kyc.addDocument(document(approved!, "national_id", new Date(1_000)))
        yield* kyc.addDocument(document(rejected!, "selfie", new Date(1_000)))
        yield* kyc.review(approved!, { status: "approved" }, new Date(2_000))
        yield* kyc.review(rejected!, { status: "rejected", reason: "Photo floue" }, new Date(2_000))
        const unknown = uuidV7(Date.now()) as UserId
        const malformed = "not-a-uuid" as UserId
        const asked = [fresh!, pending!, approved!, rejected!, unknown, malformed]
        const statuses = yield* kyc.statusesOf(asked)
        assert.deepStrictEqual(statuses, new Map<UserId, KycStatus>([
          [fresh!, "none"],
          [pending!, "pending"],
          [approved!, "approved"],
          [rejected!, "rejected"],
          [unknown, "none"],
          [malformed, "none"]
        ]))
        // The same answers as statusOf, one by one.
        for (const userId of asked.slice(0, 5)) assert.strictEqual(statuses.get(userId), yield* kyc.statusOf(userId))
        assert.strictEqual((yield* kyc.statusesOf([])).size, 0)
        assert.deepStrictEqual(yield* kyc.statusesOf([malformed]), new Map([[malformed, "none" as const]]))
      }))

    it.effect("pending users come oldest first, each with only their own documents", () =>
      Effect.gen(function*() {
        const kyc = yield* KycRepository
        const users = yield* UserRepository
        const later = (yield* users.create(makeNewUser())).id
        const earlier = (yield* users.create(makeNewUser())).id
        yield* kyc.addDocument(document(later, "selfie", new Date(20_000)))
        yield* kyc.addDocument(document(earlier, "national_id", new Date(10_000)))
        const pending = (yield* kyc.pending).filter((state) => state.userId === later || state.userId === earlier)
        assert.deepStrictEqual(pending.map((state) => state.userId), [earlier, later])
        assert.deepStrictEqual(pending.map((state) => state.documents.map((entry) => entry.type)), [["national_id"], ["selfie"]])
      }))
  })
