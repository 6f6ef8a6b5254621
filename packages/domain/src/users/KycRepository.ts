import { Context, type Effect, type Option } from "effect"
import type { AuthStoreUnavailable } from "../auth/errors.ts"
import type { KycDocument, KycState, KycStatus } from "./Kyc.ts"
import type { UserId } from "./User.ts"

/** KYC documents (the files themselves are in ObjectStorage, private) and each user's review status. */
export class KycRepository extends Context.Service<KycRepository, {
  /** Records a document and sets the user's status to pending, in one transaction. */
  readonly addDocument: (document: KycDocument) => Effect.Effect<void, AuthStoreUnavailable>
  readonly stateOf: (userId: UserId) => Effect.Effect<Option.Option<KycState>, AuthStoreUnavailable>
  /** Only the review status (none for an unknown user): what the wallet's limits need, on every transfer. */
  readonly statusOf: (userId: UserId) => Effect.Effect<KycStatus, AuthStoreUnavailable>
  /** The review status of each user given, as statusOf says it, in one read: every id given is a key. */
  readonly statusesOf: (userIds: ReadonlyArray<UserId>) => Effect.Effect<ReadonlyMap<UserId, KycStatus>, AuthStoreUnavailable>
  /** Users waiting for a review, oldest document first. */
  readonly pending: Effect.Effect<ReadonlyArray<KycState>, AuthStoreUnavailable>
  /** Approves or rejects a pending review; false when the user is not pending (nothing changes). */
  readonly review: (userId: UserId, decision: { readonly status: "approved" } | { readonly status: "rejected"; readonly reason: string }, at: Date) => Effect.Effect<boolean, AuthStoreUnavailable>
}>()("nelo/users/KycRepository") {}
