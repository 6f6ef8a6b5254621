import { Effect } from "effect"
import { KycRepository } from "../users/KycRepository.ts"
import type { UserId } from "../users/User.ts"
import type { KycLevel } from "./WalletPolicy.ts"

/** Approved KYC lifts the limits; pending or rejected counts as none. */
export const kycLevelOf = (userId: UserId) =>
  Effect.gen(function*() {
    const status = yield* (yield* KycRepository).statusOf(userId)
    return (status === "approved" ? "approved" : "none") satisfies KycLevel as KycLevel
  })
