import { Effect } from "effect"
import type { KycRepository } from "../users/KycRepository.ts"
import type { UserId } from "../users/User.ts"
import type { KycLevel } from "./WalletPolicy.ts"

/** Approved KYC lifts the limits; pending or rejected counts as none. */
export const kycLevelOf = (kyc: KycRepository["Service"], userId: UserId) =>
  Effect.map(kyc.statusOf(userId), (status): KycLevel => status === "approved" ? "approved" : "none")
